"""YAML parsing that remembers the line of every mapping key, so errors can name it."""

from typing import Any

import yaml


class LineDict(dict):
    """A dict from YAML that knows the (1-based) line of itself and of each key."""

    line: int = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            self.construct_object(key_node, deep=True): key_node.start_mark.line + 1 for key_node, _ in node.value
        }
        return mapping


# The default map constructor builds the root mapping lazily as a plain dict; use ours everywhere.
_LineLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML; lines are shifted by first_line - 1 (for front matter below a '---')."""
    # _LineLoader is a SafeLoader subclass: no arbitrary objects.
    data = yaml.load(text, Loader=_LineLoader)  # nosec B506
    if first_line != 1:
        _shift(data, first_line - 1)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift(item, offset)


def line_of(data: Any, path: tuple) -> int | None:
    """The line of the deepest node on path (keys and list indexes) that carries a line."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LineDict):
            line = node.key_lines.get(step, line)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


def format_path(path: tuple) -> str:
    """('questions', 3, 'options', 0, 'id') -> 'questions[3].options[0].id'."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
