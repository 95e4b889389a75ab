//! LP/MPS export of the model `solve` builds.
