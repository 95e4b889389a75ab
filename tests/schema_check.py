#!/usr/bin/env python3
"""Validate YAML files against allyplan's JSON Schema with an independent validator.

Usage: python3 tests/schema_check.py SCHEMA.json [--expect-invalid] FILE...

The files are read with PyYAML, resolving plain scalars as YAML 1.2's core schema does
(the reading allyplan and yaml-language-server use): `1.0e6` is a number, `yes`, `no`,
`on` and `off` are text, and `2027-01-01` is text, not a date. They are checked with the
`jsonschema` package against the draft the schema names (`$schema`).

Prints one line per file: `ok FILE`, or `invalid FILE: PATH: MESSAGE` for each problem.
Exit code: 0 when every file is as expected (valid, or invalid with --expect-invalid);
1 when one is not; 2 on bad usage or a schema that is not itself valid; 3 when jsonschema
or PyYAML is not installed.
"""

import json
import re
import sys


def core_schema_loader(yaml):
    """A SafeLoader resolving plain scalars by YAML 1.2's core schema."""

    class Loader(yaml.SafeLoader):
        pass

    # Start from no implicit resolvers, then add the core schema's.
    Loader.yaml_implicit_resolvers = {}
    resolvers = [
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN")),
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        (
            "tag:yaml.org,2002:int",
            r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
            list("-+0123456789"),
        ),
        (
            "tag:yaml.org,2002:float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            list("-+.0123456789"),
        ),
        ("tag:yaml.org,2002:merge", r"^<<$", ["<"]),
    ]
    for tag, pattern, first in resolvers:
        Loader.add_implicit_resolver(tag, re.compile(pattern), first)

    def construct_int(loader, node):
        text = loader.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)

    def construct_float(loader, node):
        return float(loader.construct_scalar(node).lower().replace(".inf", "inf").replace(".nan", "nan"))

    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
    return Loader


def where(error):
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"


def main(argv):
    args = argv[1:]
    expect_invalid = "--expect-invalid" in args
    args = [a for a in args if a != "--expect-invalid"]
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        import jsonschema
        import yaml
    except ImportError as e:
        print(f"jsonschema or PyYAML is not installed: {e}", file=sys.stderr)
        return 3
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"the schema is not a valid {cls.__name__} schema: {e.message}", file=sys.stderr)
        return 2
    validator = cls(schema)
    loader = core_schema_loader(yaml)
    as_expected = True
    for path in args[1:]:
        with open(path, encoding="utf-8-sig") as f:
            document = yaml.load(f, Loader=loader)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            for e in errors:
                print(f"invalid {path}: {where(e)}: {e.message}")
                # The branch errors of a oneOf/anyOf say which key a branch refused.
                for sub in sorted(e.context or [], key=lambda s: list(s.absolute_path)):
                    print(f"  {where(sub)}: {sub.message}")
        else:
            print(f"ok {path}")
        if bool(errors) != expect_invalid:
            as_expected = False
    return 0 if as_expected else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
