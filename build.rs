//! Builds HiGHS (vendor/highs, the solver's own C++ sources) into a static library with
//! the `cc` crate, so the default build needs only a C and C++ compiler: no cmake, no
//! libclang. The C API functions allyplan calls are declared by hand in
//! `src/solve/highs/ffi.rs`.
//!
//! HiGHS is always compiled optimised (it is the solver: a debug build of it would make
//! `cargo test` slow), with the same flags in every profile, so the library is kept once
//! per target folder (`target/highs-<key>/`) and the debug and release builds share it.

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// HiGHS version, as in vendor/highs/Version.txt.
const VERSION: (u32, u32, u32) = (1, 16, 0);

/// Include folders, relative to vendor/highs (HiGHS's cmake/sources.cmake).
const INCLUDE_DIRS: &[&str] = &[
    "extern",
    "highs",
    "highs/interfaces",
    "highs/io",
    "highs/io/filereader",
    "highs/ipm",
    "highs/ipm/ipx",
    "highs/ipm/basiclu",
    "highs/lp_data",
    "highs/mip",
    "highs/model",
    "highs/parallel",
    "highs/pdlp",
    "highs/pdlp/cupdlp",
    "highs/pdlp/hipdlp",
    "highs/presolve",
    "highs/qpsolver",
    "highs/simplex",
    "highs/util",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=vendor/highs");
    println!("cargo:rerun-if-changed=src/solve/highs/extras_stub.cpp");
    if env::var_os("CARGO_FEATURE_HIGHS").is_none() {
        return;
    }
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let vendor = root.join("vendor/highs");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    let target_arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();

    let mut sources = Vec::new();
    collect(&vendor.join("highs"), &["c", "cc", "cpp"], &mut sources);
    sources.sort();
    let mut inputs = sources.clone();
    collect(&vendor, &["h", "hh", "hpp"], &mut inputs);
    inputs.sort();

    let config = hconfig(&target_arch);
    let key = cache_key(&vendor, &inputs, &config, &target_arch);
    let cache = target_dir(&out).map(|t| t.join(format!("highs-{key:016x}")));
    let include = out.join("include");
    fs::create_dir_all(&include).expect("create OUT_DIR/include");
    fs::write(include.join("HConfig.h"), &config).expect("write HConfig.h");
    // Stand-ins for the optional extras library (src/solve/highs/extras_stub.cpp).
    base(&vendor, &include)
        .cpp(true)
        .std("c++17")
        .file(root.join("src/solve/highs/extras_stub.cpp"))
        .compile("highs_extras_stub");

    if let Some(lib) = cache.as_ref().map(|c| c.join("libhighs.a")) {
        if lib.is_file() {
            link(cache.as_deref().unwrap_or(&out), &out);
            return;
        }
    }

    let mut cpp = base(&vendor, &include);
    cpp.cpp(true).std("c++17");
    let mut c = base(&vendor, &include);
    c.cpp(false);
    for source in &sources {
        if source.extension().is_some_and(|e| e == "c") {
            c.file(source);
        } else {
            cpp.file(source);
        }
    }
    cpp.compile("highs");
    c.compile("highs_c");

    // Keep both archives where every profile of this target folder finds them.
    let mut dir = out.clone();
    if let Some(cache) = &cache {
        let staging = cache.with_extension(format!("tmp{}", std::process::id()));
        let copied = fs::create_dir_all(&staging).is_ok()
            && ["libhighs.a", "libhighs_c.a"]
                .iter()
                .all(|f| fs::copy(out.join(f), staging.join(f)).is_ok());
        if copied && fs::rename(&staging, cache).is_ok() {
            dir = cache.clone();
        } else {
            let _ = fs::remove_dir_all(&staging);
        }
    }
    link(&dir, &out);
}

fn base(vendor: &Path, include: &Path) -> cc::Build {
    let mut b = cc::Build::new();
    b.include(include)
        .opt_level(2)
        .debug(false)
        .warnings(false)
        .extra_warnings(false)
        .flag_if_supported("-w")
        .define("NDEBUG", None);
    for dir in INCLUDE_DIRS {
        b.include(vendor.join(dir));
    }
    b
}

/// Links HiGHS from `dir` and the extras stand-ins from `out`.
fn link(dir: &Path, out: &Path) {
    println!("cargo:rustc-link-search=native={}", dir.display());
    if dir != out {
        println!("cargo:rustc-link-search=native={}", out.display());
    }
    println!("cargo:rustc-link-lib=static=highs");
    println!("cargo:rustc-link-lib=static=highs_c");
    println!("cargo:rustc-link-lib=static=highs_extras_stub");
    let target = env::var("TARGET").unwrap_or_default();
    if target.contains("apple") {
        println!("cargo:rustc-link-lib=c++");
    } else {
        println!("cargo:rustc-link-lib=stdc++");
    }
}

/// HConfig.h as HiGHS's cmake writes it for a CPU-only, 32-bit-int, threads-on build.
fn hconfig(target_arch: &str) -> String {
    let mm_pause = if target_arch == "x86_64" || target_arch == "x86" {
        "#define HIGHS_HAVE_MM_PAUSE\n"
    } else {
        ""
    };
    let (major, minor, patch) = VERSION;
    format!(
        "#ifndef HCONFIG_H_\n#define HCONFIG_H_\n\
         #define FAST_BUILD\n#define CUPDLP_CPU\n#define CMAKE_BUILD_TYPE \"Release\"\n\
         {mm_pause}\
         #ifdef __has_builtin\n#if __has_builtin(__builtin_clz) && __has_builtin(__builtin_clzll)\n\
         #define HIGHS_HAVE_BUILTIN_CLZ\n#endif\n#endif\n\
         #define HIGHS_GITHASH \"vendored\"\n\
         #define HIGHS_VERSION_MAJOR {major}\n#define HIGHS_VERSION_MINOR {minor}\n\
         #define HIGHS_VERSION_PATCH {patch}\n#endif\n"
    )
}

/// Every file under `dir` with one of these extensions.
fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extensions, out);
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
}

/// What the library depends on: the sources and headers (paths and bytes), the
/// configuration, the target and the compiler.
fn cache_key(vendor: &Path, inputs: &[PathBuf], config: &str, target_arch: &str) -> u64 {
    let mut h = DefaultHasher::new();
    config.hash(&mut h);
    target_arch.hash(&mut h);
    env::var("TARGET").unwrap_or_default().hash(&mut h);
    env::var("CXX").unwrap_or_default().hash(&mut h);
    env::var("CC").unwrap_or_default().hash(&mut h);
    for file in inputs {
        file.strip_prefix(vendor).unwrap_or(file).hash(&mut h);
        fs::read(file).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}

/// The target folder (the one cargo marks with CACHEDIR.TAG) that holds `out`.
fn target_dir(out: &Path) -> Option<PathBuf> {
    out.ancestors()
        .find(|p| p.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
}
