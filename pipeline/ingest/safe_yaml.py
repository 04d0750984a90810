"""Reads edition.yaml with the safe loader, within limits checked before anything is built.

A YAML alias may repeat a whole list, and an alias of that list repeats it again ("billion
laughs"): a small file can stand for billions of values. So the loader counts the values while it
composes the document, each alias as the number of values it repeats, and the nesting depth; it
stops at a limit, before any Python object is built.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml

from pipeline.ingest.limits import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES

OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
MAX_INT_BITS = 128


class YamlRefused(yaml.YAMLError):
    """A YAML file that breaks a limit or cannot be read as text; `rule` says which."""

    def __init__(self, rule: str, message: str, line: int | None = None):
        super().__init__(message)
        self.rule = rule
        self.line = line


class _SafeUniqueLoader(yaml.SafeLoader):
    """The safe loader, refusing a key that appears twice in a mapping (PyYAML keeps the last),
    an integer larger than any value here, and a document over the limits of depth and size."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0  # lists and mappings open around the node being composed
        self.values = 0  # values composed so far, aliases counted as what they repeat
        self.sizes: dict[str, int] = {}  # anchor -> the values its node stands for

    def compose_node(self, parent, index):
        """Compose one node as PyYAML does, counting it against the limits first."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.count(self.sizes.get(event.anchor, 1), event)
            return super().compose_node(parent, index)
        opens = isinstance(event, OPENS)
        if opens and self.depth >= MAX_YAML_DEPTH:
            raise YamlRefused(
                "yaml-too-deep",
                f"lists and mappings nest more than {MAX_YAML_DEPTH} deep",
                event.start_mark.line + 1,
            )
        before = self.values
        self.count(1, event)
        self.depth += opens
        node = super().compose_node(parent, index)
        self.depth -= opens
        if event.anchor is not None:
            self.sizes[event.anchor] = self.values - before
        return node

    def count(self, values: int, event) -> None:
        self.values += values
        if self.values > MAX_YAML_NODES:
            raise YamlRefused(
                "yaml-too-large",
                f"the document stands for more than {MAX_YAML_NODES} values "
                "(aliases counted as what they repeat)",
                event.start_mark.line + 1,
            )

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor`, which the safe loader resolves itself
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the safe loader reports an unhashable key itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        """An integer, refused when larger than any value of edition.yaml can be (a hex one of
        thousands of digits would be one Python cannot even write as text)."""
        value = super().construct_yaml_int(node)
        if abs(value).bit_length() > MAX_INT_BITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"found an integer of more than {MAX_INT_BITS} bits", node.start_mark
            )
        return value


_SafeUniqueLoader.add_constructor("tag:yaml.org,2002:int", _SafeUniqueLoader.construct_yaml_int)


def read_yaml(path: Path) -> object:
    """Parse a YAML file with the safe loader only: tags that build objects are refused, and so
    are a key given twice, a file over the limits and text that is not UTF-8.

    Raises yaml.YAMLError (YamlRefused for a limit or an unreadable value) for any bad input.
    """
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise YamlRefused("file-too-large", f"{size} bytes; the limit is {MAX_YAML_BYTES}")
    with path.open("rb") as handle:
        data = handle.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise YamlRefused("file-too-large", f"more than {MAX_YAML_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlRefused("encoding-error", "not valid utf-8 (save it as UTF-8)", line) from None
    return load_text(text)


def load_text(text: str) -> object:
    """A YAML text loaded with the safe, unique-key, counting loader."""
    try:
        # S506 does not know that _SafeUniqueLoader is a SafeLoader
        return yaml.load(text, Loader=_SafeUniqueLoader)  # noqa: S506
    except (ValueError, OverflowError) as exc:
        # a date such as 2022-13-45, a tagged value that is not what its tag says, an integer
        # of more digits than Python converts: the loader raises these as plain errors
        raise YamlRefused("yaml-error", f"a value cannot be read: {exc}") from None
