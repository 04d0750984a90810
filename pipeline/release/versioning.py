"""Compares a new build with the latest release and picks the semantic-version bump.

The Data Package recipe: MAJOR when a field or table is removed or renamed, a field is added, a
type changes, a constraint tightens or an identifier disappears; MINOR when rows or tables are
added or a constraint loosens; PATCH when values, statuses or descriptive metadata change.
Everything is compared logically (rows by key, schemas by field), never as file bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.release.records import version_key

LEVELS = {"patch": 1, "minor": 2, "major": 3}


@dataclass
class Snapshot:
    """A release as logic sees it: its descriptor without volatile keys, and every CSV's rows."""

    descriptor: dict
    tables: dict[str, dict[tuple, dict]]
    side_files: dict[str, int] = field(default_factory=dict)


@dataclass
class Changes:
    """What differs between two snapshots, each change with the bump it requires."""

    schema: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.schema or self.added or self.removed or self.changed or self.metadata)

    @property
    def bump(self) -> str | None:
        levels = [c["bump"] for c in self.schema]
        levels += ["major"] * bool(self.removed) + ["minor"] * bool(self.added)
        levels += ["patch"] * bool(self.changed or self.metadata)
        return max(levels, key=LEVELS.__getitem__) if levels else None

    def summary(self) -> str:
        parts = []
        if self.schema:
            parts.append(f"{len(self.schema)} schema change(s)")
        if self.added:
            parts.append(f"{len(self.added)} row(s) added")
        if self.removed:
            parts.append(f"{len(self.removed)} row(s) removed")
        if self.changed:
            parts.append(f"{len(self.changed)} row(s) changed")
        if self.metadata:
            parts.append("metadata changed: " + ", ".join(self.metadata))
        return "; ".join(parts) or "no changes"

    def to_dict(self) -> dict:
        return {
            "bump": self.bump,
            "summary": self.summary(),
            "schema_changes": self.schema,
            "rows_added": self.added,
            "rows_removed": self.removed,
            "rows_changed": self.changed,
            "metadata_changed": self.metadata,
        }


def resources_by_name(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r for r in descriptor.get("resources", []) if r.get("format") == "csv"}


def diff(old: Snapshot, new: Snapshot) -> Changes:
    """Every difference between the latest release and the new build."""
    changes = Changes()
    old_res, new_res = resources_by_name(old.descriptor), resources_by_name(new.descriptor)
    for name in sorted(old_res.keys() - new_res.keys()):
        changes.schema.append({"table": name, "change": "table removed", "bump": "major"})
    for name in sorted(new_res.keys() - old_res.keys()):
        changes.schema.append({"table": name, "change": "table added", "bump": "minor"})
    for name in sorted(old_res.keys() & new_res.keys()):
        changes.schema.extend(
            schema_changes(name, old_res[name]["schema"], new_res[name]["schema"])
        )
        if old_res[name] != new_res[name] and not any(c["table"] == name for c in changes.schema):
            changes.metadata.append(resource_change(name, old_res[name], new_res[name]))
        row_changes(name, old.tables.get(name, {}), new.tables.get(name, {}), changes)
    for label in sorted(old.side_files.keys() | new.side_files.keys()):
        before, after = old.side_files.get(label), new.side_files.get(label)
        if before is None:
            changes.metadata.append(f"new files beside the data: {label}")
        elif after is None:
            changes.metadata.append(f"files no longer made: {label}")
        elif before != after:
            changes.metadata.append(f"files made anew: {label} (format {before} -> {after})")
    old_meta = {k: v for k, v in old.descriptor.items() if k != "resources"}
    new_meta = {k: v for k, v in new.descriptor.items() if k != "resources"}
    changes.metadata.extend(
        sorted(k for k in old_meta.keys() | new_meta.keys() if old_meta.get(k) != new_meta.get(k))
    )
    return changes


def resource_change(name: str, old: dict, new: dict) -> str:
    """How a resource changed without a schema change, for the changelog: per kind of field
    property (value labels, description, title, ...) the fields whose property changed, and the
    resource's own keys that changed; just its name when neither says anything."""
    before = {f["name"]: f for f in old["schema"]["fields"]}
    by_key: dict[str, list[str]] = {}
    for new_field in new["schema"]["fields"]:
        earlier = before.get(new_field["name"], {})
        for key in sorted(set(new_field) | set(earlier)):
            if new_field.get(key) != earlier.get(key):
                by_key.setdefault(key, []).append(new_field["name"])
    parts = [f"{FIELD_KEY_NAMES.get(k, k)} of {', '.join(names)}" for k, names in by_key.items()]
    own = sorted(k for k in set(old) | set(new) if k != "schema" and old.get(k) != new.get(k))
    own += sorted(
        k
        for k in set(old["schema"]) | set(new["schema"])
        if k != "fields" and old["schema"].get(k) != new["schema"].get(k)
    )
    parts += own
    return f"resource {name}: {'; '.join(parts)}" if parts else f"resource {name}"


# How the changelog names a field property that changed.
FIELD_KEY_NAMES = {"categories": "value labels (categories)"}


def schema_changes(table: str, old: dict, new: dict) -> list[dict]:
    """Field-level changes of one table's schema, each with its bump."""
    out = []
    old_f = {f["name"]: f for f in old["fields"]}
    new_f = {f["name"]: f for f in new["fields"]}
    for name in sorted(old_f.keys() - new_f.keys()):
        out.append({"table": table, "field": name, "change": "field removed", "bump": "major"})
    for name in sorted(new_f.keys() - old_f.keys()):
        out.append({"table": table, "field": name, "change": "field added", "bump": "major"})
    for name in sorted(old_f.keys() & new_f.keys()):
        a, b = old_f[name], new_f[name]
        first = len(out)
        if a.get("type") != b.get("type"):
            out.append(
                {
                    "table": table,
                    "field": name,
                    "bump": "major",
                    "change": f"type {a.get('type')} -> {b.get('type')}",
                }
            )
        for key in sorted(set(a.get("constraints", {})) | set(b.get("constraints", {}))):
            before = a.get("constraints", {}).get(key)
            after = b.get("constraints", {}).get(key)
            if before != after:
                out.append(
                    {
                        "table": table,
                        "field": name,
                        "bump": constraint_bump(key, before, after),
                        "change": f"constraint {key}: {before!r} -> {after!r}",
                    }
                )
        if len(out) > first and a.get("description") != b.get("description"):
            # The field's meaning changed with its description: the new description says
            # what the field is now and why, so the changelog quotes it with the change.
            for change in out[first:]:
                change["description"] = b.get("description")
    for key in ("primaryKey", "foreignKeys"):
        if old.get(key) != new.get(key):
            out.append({"table": table, "change": f"{key} changed", "bump": "major"})
    if [f["name"] for f in old["fields"]] != [f["name"] for f in new["fields"]] and not out:
        out.append({"table": table, "change": "fields reordered", "bump": "major"})
    return out


def constraint_bump(key: str, before: object, after: object) -> str:
    """'minor' when a constraint loosens, 'major' when it tightens or cannot be compared."""
    if after is None:
        return "minor"
    if before is None:
        return "major" if after is not False else "minor"
    if (key == "minimum" and after < before) or (key == "maximum" and after > before):
        return "minor"
    if key == "enum" and set(before) <= set(after):
        return "minor"
    if key in ("required", "unique") and after is False:
        return "minor"
    return "major"


def row_changes(
    table: str, old: dict[tuple, dict], new: dict[tuple, dict], changes: Changes
) -> None:
    for key in sorted(new.keys() - old.keys()):
        changes.added.append({"table": table, "key": list(key), "row": new[key]})
    for key in sorted(old.keys() - new.keys()):
        changes.removed.append({"table": table, "key": list(key), "row": old[key]})
    for key in sorted(old.keys() & new.keys()):
        before, after = old[key], new[key]
        # A field one side lacks reads as empty, so that a field added (or removed) empty,
        # which the schema changes report, does not count as a change of every row.
        fields = sorted(
            k for k in before.keys() | after.keys() if before.get(k, "") != after.get(k, "")
        )
        if fields:
            changes.changed.append(
                {
                    "table": table,
                    "key": list(key),
                    "old": {k: before.get(k) for k in fields},
                    "new": {k: after.get(k) for k in fields},
                }
            )


def next_version(latest: str | None, bump: str | None, minimum: str | None = None) -> str:
    """The version after `latest` for the larger of `bump` and `minimum` (1.0.0 first)."""
    if latest is None:
        return "1.0.0"
    levels = [b for b in (bump, minimum) if b]
    level = max(levels, key=LEVELS.__getitem__) if levels else "patch"
    major, minor, patch = (int(p) for p in latest.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_between(previous: str | None, version: str) -> str | None:
    """The bump that leads from `previous` to `version` (None for a first release)."""
    if previous is None:
        return None
    old, new = version_key(previous), version_key(version)
    return "major" if new[0] > old[0] else "minor" if new[1] > old[1] else "patch"


def changelog_markdown(version: str, previous: str | None, changes: Changes) -> str:
    """The readable changelog of one version."""
    if previous is None:
        return f"# {version}\n\nFirst release.\n"
    lines = [
        f"# {version} (after {previous})",
        "",
        f"Bump: {bump_between(previous, version)}. {changes.summary()}.",
        "",
    ]
    if changes.schema:
        lines += ["## Schema changes", ""]
        lines += [
            f"- {c['table']}{'.' + c['field'] if 'field' in c else ''}: {c['change']} ({c['bump']})"
            + (f"; now described as: {c['description']}" if c.get("description") else "")
            for c in changes.schema
        ]
        lines.append("")
    for title, items in (("Rows added", changes.added), ("Rows removed", changes.removed)):
        if items:
            lines += [f"## {title}", ""]
            lines += [f"- {c['table']} {'/'.join(c['key'])}" for c in items]
            lines.append("")
    if changes.changed:
        lines += ["## Values changed", ""]
        for c in changes.changed:
            diffs = ", ".join(f"{k}: {c['old'][k]!r} -> {c['new'][k]!r}" for k in c["old"])
            lines.append(f"- {c['table']} {'/'.join(c['key'])}: {diffs}")
        lines.append("")
    if changes.metadata:
        lines += ["## Metadata changed", "", *[f"- {m}" for m in changes.metadata], ""]
    return "\n".join(lines)
