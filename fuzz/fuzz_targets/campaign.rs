//! Campaign YAML through the loader and the evaluator, under the built-in policy.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lagom::eval::CompiledPolicy;
use lagom::source::SourceFile;

fn policy() -> Option<&'static CompiledPolicy> {
    static POLICY: OnceLock<Option<CompiledPolicy>> = OnceLock::new();
    POLICY.get_or_init(|| lagom::policy::load_default().ok().map(CompiledPolicy::new)).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let (Some(policy), Ok(text)) = (policy(), std::str::from_utf8(data)) else { return };
    let mut sources = policy.policy.sources.clone();
    let file = SourceFile::new("f.yaml", text);
    let id = sources.add(file.clone());
    if let Ok(c) = lagom::campaign::read(id, &file, &policy.policy) {
        let _ = policy.explain(&c);
    }
});
