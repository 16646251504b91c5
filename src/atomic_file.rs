//! A file written under a temporary name beside its destination and renamed into place when
//! complete, so a reader never sees half of it and a failed run leaves the previous file whole.
//! The one way the tool writes an output file: `--out PATH`, `rules calibrate --baseline-out`,
//! and every file of a screening round.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output file being written. [`AtomicFile::commit`] renames it into place; dropped without
/// a commit (an error, or nothing to report), its temporary file is removed.
pub(crate) struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: BufWriter<File>,
    committed: bool,
}

/// Where `dest` is written until it is complete: `.NAME.PID.tmp` in the same folder, so the
/// rename stays on one file system.
pub(crate) fn temporary(dest: &Path) -> PathBuf {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

impl AtomicFile {
    /// Starts writing `dest`: creates its [`temporary`] file.
    pub(crate) fn create(dest: &Path) -> io::Result<AtomicFile> {
        let tmp = temporary(dest);
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            file: BufWriter::with_capacity(1 << 20, file),
            committed: false,
        })
    }

    /// The temporary file, as written so far (flush first to read all of it).
    pub(crate) fn tmp(&self) -> &Path {
        &self.tmp
    }

    /// Where the file goes when committed.
    pub(crate) fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes the file to disk and renames it into place.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        self.file.flush()?;
        self.file.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.dest)?;
        self.committed = true;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_whole_on_commit_and_not_at_all_without() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"half").unwrap();
        assert!(!dest.exists());
        assert!(f.tmp().exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"half");
        let mut g = AtomicFile::create(&dest).unwrap();
        g.write_all(b"other").unwrap();
        let tmp = g.tmp().to_path_buf();
        drop(g);
        assert!(!tmp.exists());
        assert_eq!(std::fs::read(&dest).unwrap(), b"half");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
