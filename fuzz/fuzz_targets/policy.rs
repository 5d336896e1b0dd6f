//! Policy text through the parser, the checker and the compiler.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = lagom::policy::PolicyText { relative: "f.policy".into(), display: "f.policy".into(), bytes: data.to_vec() };
    match lagom::policy::load_texts(vec![text]) {
        Ok(p) => {
            let _ = lagom::eval::CompiledPolicy::new(p);
        }
        Err(e) => {
            // Rendering must not panic either.
            let style = lagom::report::human::Style { width: 80, ..lagom::report::human::Style::plain() };
            let _ = lagom::report::human::problems(&e.problems, &e.sources, style);
            let _ = lagom::report::json::policy_errors(&e);
        }
    }
});
