//! A policy and a campaign (split at the first NUL byte) through evaluation and every output
//! format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lagom::batch::Input;
use lagom::eval::CompiledPolicy;
use lagom::report;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (policy_bytes, rest) = data.split_at(split);
    let campaign = rest.get(1..).unwrap_or(&[]);
    let text = lagom::policy::PolicyText { relative: "f.policy".into(), display: "f.policy".into(), bytes: policy_bytes.to_vec() };
    let Ok(checked) = lagom::policy::load_texts(vec![text]) else { return };
    let policy = CompiledPolicy::new(checked);
    let dir = std::env::temp_dir().join(format!("lagom-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let file = dir.join("c.yaml");
    if std::fs::write(&file, campaign).is_err() {
        return;
    }
    let batch = lagom::batch::check(&policy, &[Input::Path(file)]);
    let style = report::human::Style { width: 80, ..report::human::Style::plain() };
    let _ = report::human::render_batch(&policy, &batch, style);
    let _ = report::json::render(&policy, &batch);
    let _ = report::sarif::render(&policy, &batch);
    let _ = report::junit::render(&policy, &batch, report::Warnings::Fail);
    let _ = report::github::render(&policy, &batch, report::Warnings::Fail);
});
