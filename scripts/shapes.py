#!/usr/bin/env python3
"""Policies and campaigns of unusual shape, for checking that a command's cost grows with
its input and not faster (BENCHMARKS.md, "Inputs of unusual shape").

    scripts/shapes.py SHAPE N OUT      writes a policy (or, for flow_*, a campaign) to OUT

`extra_*` shapes are rule files to put beside a generated corpus's policy files, e.g.

    cp -r target/corpus/r1000-n1000-s1/policy /tmp/wide
    scripts/shapes.py extra_match_all 10000 /tmp/wide/50-wide.policy
    target/release/lagom check --policy /tmp/wide target/corpus/r1000-n1000-s1/campaigns --format json

Every shape is deterministic. Time a command on N, 2N, 4N and compare, e.g.

    scripts/shapes.py retain_pairs 250 /tmp/p.policy
    /usr/bin/time -f "%e s %M KB" target/release/lagom validate --policy /tmp/p.policy > /dev/null
"""
import sys

HEAD = 'policy "p" version "1"\nbasis consent, legitimate_interests\nchannel email, sms\n'


def categories(n):
    return ["category c%d" % i for i in range(n)]


def policy(shape, n):
    if shape == "retain_pairs":  # n retain rules overlapping pairwise: n^2/2 warnings
        return ["purpose mk", "category shared"] + categories(n) + [
            "rule t%d { retain c%d, shared for mk at most %d days }" % (i, i, i + 1) for i in range(n)]
    if shape == "many_deny_allow":  # n allows, each shadowed by a deny n lines further down
        return ["purpose mk"] + categories(n) + ["rule a%d { allow c%d for mk }" % (i, i) for i in range(n)] + [
            "rule d%d { deny c%d for mk }" % (i, i) for i in range(n)]
    if shape == "shadow_cubic":  # n categories, n unconditional denies, n allows of * for mk
        return ["purpose mk"] + categories(n) + ["rule d%d { deny c%d for mk }" % (i, i) for i in range(n)] + [
            "rule a%d { allow * for mk when labels.k == v%d }" % (i, i) for i in range(n)]
    if shape == "chain_both":  # category and purpose chains n deep through `under`
        return (["category c%d%s" % (i, " under c%d" % (i - 1) if i else "") for i in range(n)]
                + ["purpose m%d%s" % (i, " under m%d" % (i - 1) if i else "") for i in range(n)]
                + ["rule r { allow c0 for m0 }"])
    if shape == "many_rules":  # n categories with one allow rule each
        return ["purpose mk"] + categories(n) + [
            "rule r%d { allow c%d for mk when basis == consent }" % (i, i) for i in range(n)]
    if shape == "many_retain":  # n retain rules with one scope, different limits
        return ["purpose mk"] + categories(n) + ["rule t%d { retain * for * at most %d days }" % (i, i + 1) for i in range(n)]
    if shape == "comments":  # n rules with a comment after every line
        return ["category ct", "purpose mk"] + [
            "# comment %d\nrule r%d { # a\n allow ct # b\n for mk # c\n when basis == consent # d\n }" % (i, i)
            for i in range(n)]
    if shape == "one_line":  # n rules on one line
        return ["category ct", "purpose mk", " ".join(
            "rule r%d { allow ct for mk when basis == consent }" % i for i in range(n))]
    if shape == "ignored_sets":  # n unused sets, each with an ignore comment above it
        return ["category ct", "purpose mk", "rule r { allow ct for mk }"] + [
            "# lagom: ignore unused_set\nset s%d = [x]" % i for i in range(n)]
    raise SystemExit("unknown shape: " + shape)


def extra(shape, n):
    if shape == "extra_match_all":  # n deny / warn / allow rules of `* for *`, each for one of 77 brands
        kinds = ["deny", "warn", "allow"]
        return "".join("rule wide_%05d { %s * for * when labels.brand == b%02d }\n" % (i, kinds[i % 3], i % 77)
                       for i in range(n))
    raise SystemExit("unknown shape: " + shape)


def campaign(shape, n):
    head = "{campaign: x, purpose: marketing.newsletter, basis: consent, data: ["
    if shape == "flow_bad_uses":  # one line, n uses of an unknown category (built-in pack)
        return head + ", ".join("{category: contact.emial%d}" % i for i in range(n)) + "]}\n"
    if shape == "flow_blocked_uses":  # one line, n blocked uses (built-in pack)
        return head + ", ".join("{category: contact.email}" for _ in range(n)) + "]}\n"
    raise SystemExit("unknown shape: " + shape)


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if shape.startswith("flow_"):
        text = campaign(shape, n)
    elif shape.startswith("extra_"):
        text = extra(shape, n)
    else:
        text = HEAD + "\n".join(policy(shape, n)) + "\n"
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
