#!/usr/bin/python3
"""Validate arpsweep JSON reports against doc/arpsweep-report.schema.json.

Usage: schema_check.py SCHEMA REPORT...
Prints one line per report: "valid NAME" or "invalid NAME: path: why" (the
first error), and exits 0 when all are valid, 1 when one is not, 3 when
python3-jsonschema (Draft 2020-12, Debian 12's 4.10 has it) is missing.
"""
import json
import sys

try:
    import jsonschema
    Validator = jsonschema.Draft202012Validator
except (ImportError, AttributeError) as e:
    print("python3-jsonschema with Draft 2020-12 is not available: %s" % e)
    sys.exit(3)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Validator.check_schema(schema)
    v = Validator(schema)
    bad = 0
    for name in sys.argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError as e:
            print("invalid %s: not JSON: %s" % (name, e))
            bad += 1
            continue
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errs:
            e = errs[0]
            path = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("invalid %s: %s: %s" % (name, path, e.message[:200]))
            bad += 1
        else:
            print("valid %s" % name)
    return 1 if bad else 0


sys.exit(main())
