// The default checklist and the schemas are built into the binary: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=schemas");
}
