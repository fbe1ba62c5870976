#!/usr/bin/env python3
"""Checks the quoted #include edges between rooms against scripts/layering.txt.

    check-layering.py [--rules FILE] SOURCE_TREE
    check-layering.py --self-test

Prints each forbidden edge as
    file:line: room A may not include room B (header)
and exits 1 if there is any. Reads only the rules file and the files under
SOURCE_TREE's rooms. --self-test runs the checker on small made-up trees and
asserts what it prints.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

SOURCE_SUFFIXES = (".h", ".hpp", ".cc", ".cpp", ".c")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
DEFAULT_RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layering.txt")


class RulesError(Exception):
    pass


class Rules:
    def __init__(self, path):
        self.rooms = []  # (folder, room), longest folder first
        self.include_roots = []
        self.generated_roots = []
        self.allowed = {}
        self.testing = []
        self.test_allowed = {}
        self.exceptions = set()  # (file, room)
        self._parse(path)
        self._check_acyclic()

    def _parse(self, path):
        section = None
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                where = f"{path}:{number}"
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1]
                    continue
                if section == "rooms":
                    room, folder = line.split()
                    self.rooms.append((folder, room))
                elif section == "include-roots":
                    self.include_roots.append(line)
                elif section == "generated-roots":
                    self.generated_roots.append(line)
                elif section in ("allowed", "test-allowed"):
                    room, _, targets = line.partition(":")
                    table = self.allowed if section == "allowed" else self.test_allowed
                    table[room.strip()] = set(targets.split())
                elif section == "testing":
                    self.testing.append(line)
                elif section == "exceptions":
                    match = re.fullmatch(r"(\S+)\s*->\s*(\S+):\s*\S.*", line)
                    if not match:
                        raise RulesError(f"{where}: expected 'file -> room: reason'")
                    self.exceptions.add((match[1], match[2]))
                else:
                    raise RulesError(f"{where}: line outside a known [section]")
        self.rooms.sort(key=lambda entry: len(entry[0]), reverse=True)
        names = {room for _, room in self.rooms}
        for table in (self.allowed, self.test_allowed):
            for room, targets in table.items():
                unknown = ({room} - {"*"} | targets) - names
                if unknown:
                    raise RulesError(f"{path}: unknown rooms {sorted(unknown)}")
        missing = names - set(self.allowed)
        if missing:
            raise RulesError(f"{path}: no [allowed] line for {sorted(missing)}")

    def _check_acyclic(self):
        # A cycle in [allowed] would make "lower" meaningless.
        done, path = set(), []

        def visit(room):
            if room in path:
                cycle = path[path.index(room):] + [room]
                raise RulesError("the allowed graph has a cycle: " + " -> ".join(cycle))
            if room in done:
                return
            path.append(room)
            for target in sorted(self.allowed[room] - {room}):
                visit(target)
            path.pop()
            done.add(room)

        for room in sorted(self.allowed):
            visit(room)

    def room_of(self, path):
        for folder, room in self.rooms:
            if path.startswith(folder):
                return room
        return None

    def is_testing(self, path):
        if path.endswith("_test.cc") or self.room_of(path) == "tests":
            return True
        return any(path == t or (t.endswith("/") and path.startswith(t)) for t in self.testing)

    def may_include(self, path, target_room):
        room = self.room_of(path)
        if target_room == room or target_room in self.allowed[room]:
            return True
        if (path, target_room) in self.exceptions:
            return True
        if self.is_testing(path):
            extra = self.test_allowed.get(room, set()) | self.test_allowed.get("*", set())
            return target_room in extra
        return False


def source_files(tree, rules):
    folders = sorted({folder for folder, _ in rules.rooms})
    seen = set()
    for folder in folders:
        for directory, subdirs, files in os.walk(os.path.join(tree, folder)):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                path = os.path.relpath(os.path.join(directory, name), tree)
                if name.endswith(SOURCE_SUFFIXES) and path not in seen:
                    seen.add(path)
                    yield path


def resolve(tree, path, header, rules):
    """The repository path of the file a quoted include names, or None if it is
    not the repository's (a system or third-party header)."""
    candidates = [os.path.join(os.path.dirname(path), header)]
    candidates += [os.path.join(root, header) for root in rules.include_roots]
    if header.endswith(".pb.h"):
        proto = header[: -len(".pb.h")] + ".proto"
        candidates = [c[: -len(".pb.h")] + ".proto" for c in candidates]
        candidates += [os.path.join(root, proto) for root in rules.generated_roots]
    for candidate in candidates:
        candidate = os.path.normpath(candidate)
        if os.path.isfile(os.path.join(tree, candidate)):
            return candidate
    return None


def forbidden(path, target, rules):
    """What path may not include in target, or None if the include is allowed."""
    target_room = rules.room_of(target)
    if not rules.may_include(path, target_room):
        return f"room {target_room}"
    if rules.is_testing(target) and not rules.is_testing(path):
        return "a testing helper"
    return None


def check(tree, rules):
    problems = []
    for path in source_files(tree, rules):
        with open(os.path.join(tree, path), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                match = INCLUDE_RE.match(line)
                target = match and resolve(tree, path, match[1], rules)
                what = target and rules.room_of(target) and forbidden(path, target, rules)
                if what:
                    room = rules.room_of(path)
                    problems.append(
                        f"{path}:{number}: room {room} may not include {what} ({match[1]})"
                    )
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", help="the source tree (the repository's root)")
    parser.add_argument("--rules", default=DEFAULT_RULES, help="the allowed graph")
    parser.add_argument("--self-test", action="store_true", help="check the checker")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.tree:
        parser.error("give the source tree")
    try:
        rules = Rules(args.rules)
    except (RulesError, ValueError) as error:
        print(f"check-layering: {error}", file=sys.stderr)
        return 2
    problems = check(args.tree, rules)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


# --- self-test: the checker run as a process on made-up trees --------------

SELF_TEST_RULES = """
[rooms]
common   daemon/common/
engine   daemon/engine/
metrics  daemon/metrics/
wal      daemon/wal/
tests    tests/
[include-roots]
daemon/
tests/integration/
[generated-roots]
daemon/engine/
[allowed]
common:
wal:     common
engine:  common
metrics: common engine
tests:
[testing]
daemon/wal/test_temp_dir.h
[test-allowed]
*: tests
[exceptions]
daemon/engine/known.cc -> metrics: a known upward include, kept for this file only
"""

CLEAN_TREE = {
    "daemon/common/status.h": "#pragma once\n#include <string>\n",
    "daemon/engine/engine.h": '#pragma once\n#include "common/status.h"\n',
    "daemon/engine/engine.cc": '#include "engine/engine.h"\n#include "engine_state.pb.h"\n',
    "daemon/engine/engine_state.proto": 'syntax = "proto3";\n',
    "daemon/engine/engine_test.cc": '#include "engine.h"\n#include "eventually.h"\n'
    '#include "gtest/gtest.h"\n',
    "daemon/engine/known.cc": '#include "metrics/counters.h"\n',
    "daemon/metrics/counters.h": '#pragma once\n#include "engine/engine.h"\n',
    "daemon/wal/test_temp_dir.h": "#pragma once\n",
    "daemon/wal/log_test.cc": '#include "wal/test_temp_dir.h"\n#include "eventually.h"\n',
    "tests/integration/eventually.h": "#pragma once\n",
}


def run_checker(files, rules_text):
    with tempfile.TemporaryDirectory(prefix="check-layering-") as tree:
        for path, text in files.items():
            os.makedirs(os.path.join(tree, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tree, path), "w", encoding="utf-8") as f:
                f.write(text)
        rules = os.path.join(tree, "layering.txt")
        with open(rules, "w", encoding="utf-8") as f:
            f.write(rules_text)
        done = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--rules", rules, tree],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.returncode, done.stdout + done.stderr


def self_test():
    with open(DEFAULT_RULES, encoding="utf-8") as f:
        repository_rules = f.read()
    cases = [
        ("a clean tree passes", CLEAN_TREE, SELF_TEST_RULES, 0, None),
        (
            "an upward include fails",
            {
                **CLEAN_TREE,
                "daemon/engine/ledger.cc": '#include "common/status.h"\n'
                '#include "metrics/counters.h"\n',
            },
            SELF_TEST_RULES,
            1,
            "daemon/engine/ledger.cc:2: "
            "room engine may not include room metrics (metrics/counters.h)",
        ),
        (
            "the repository's rules refuse an engine file including a metrics header",
            {
                "daemon/metrics/counters.h": "#pragma once\n",
                "daemon/engine/ledger.cc": '#include "metrics/counters.h"\n',
            },
            repository_rules,
            1,
            "daemon/engine/ledger.cc:1: "
            "room engine may not include room metrics (metrics/counters.h)",
        ),
        (
            "a bare include of another room's generated header fails",
            {**CLEAN_TREE, "daemon/wal/log.cc": '#include "engine_state.pb.h"\n'},
            SELF_TEST_RULES,
            1,
            "daemon/wal/log.cc:1: room wal may not include room engine (engine_state.pb.h)",
        ),
        (
            "production code may not include a testing helper",
            {**CLEAN_TREE, "daemon/wal/log.cc": '#include "wal/test_temp_dir.h"\n'},
            SELF_TEST_RULES,
            1,
            "daemon/wal/log.cc:1: room wal may not include a testing helper (wal/test_temp_dir.h)",
        ),
        (
            "production code may not include the testkit",
            {**CLEAN_TREE, "daemon/wal/log.cc": '#include "eventually.h"\n'},
            SELF_TEST_RULES,
            1,
            "daemon/wal/log.cc:1: room wal may not include room tests (eventually.h)",
        ),
        (
            "a cycle in the allowed graph is refused",
            CLEAN_TREE,
            SELF_TEST_RULES.replace("common:\n", "common: metrics\n"),
            2,
            "the allowed graph has a cycle: common -> metrics -> common",
        ),
    ]
    failures = 0
    for name, files, rules_text, want_code, want_line in cases:
        code, output = run_checker(files, rules_text)
        ok = code == want_code and (want_line in output if want_line else output == "")
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            failures += 1
            print(f"     exit {code} (want {want_code}), output:\n{output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
