// The default policy pack is embedded with include_dir, which cannot tell cargo to rebuild
// when the pack changes; this does.
fn main() {
    println!("cargo:rerun-if-changed=policies");
}
