//! Every way a bid can be bad gets a clear, located message — never a panic or a silent zero.
use crate::support::*;
