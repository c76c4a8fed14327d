"""Versioned prompt files: load, validate and render ``prompts/<agent>/<version>.md``.

A prompt file starts with a small YAML front-matter header::

    ---
    id: position_risk
    version: v1
    variables: [user_id, role, books, as_of]
    ---
    You are the position-risk desk ... {user_id} ...

The body is a `str.format` template. At load the registry checks that the header's ``id`` matches
the folder, that the body uses exactly the declared variables, and that every pinned version
exists; rendering checks that every variable was given. Role overlays (``overlays/<role>.md``,
plain text with the same variables available) are appended to every agent's prompt for that role.
Changing or adding a prompt is a file change only: the newest version (natural sort of the file
names) is used unless a version is pinned (``FXDESK_PROMPT_VERSIONS=supervisor=v1,compliance=v2``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

PROMPTS_DIR = Path(__file__).resolve().parent
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


class PromptError(ValueError):
    """A prompt file, pin or render call is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class PromptTemplate:
    """One version of one agent's prompt, as read from its file."""

    agent: str
    version: str
    variables: tuple[str, ...]
    body: str
    path: Path

    @property
    def ref(self) -> str:
        """Return ``agent@version``, the form recorded in run metadata."""
        return f"{self.agent}@{self.version}"


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready for a model, with the version it came from."""

    agent: str
    version: str
    text: str

    @property
    def ref(self) -> str:
        """Return ``agent@version``, the form recorded in run metadata."""
        return f"{self.agent}@{self.version}"


class PromptRegistry:
    """Every agent's prompt versions, the pinned choice per agent and the role overlays."""

    def __init__(self, templates: Mapping[str, Mapping[str, PromptTemplate]],
                 overlays: Mapping[str, str], pins: Mapping[str, str] | None = None):
        self._templates = {agent: dict(versions) for agent, versions in templates.items()}
        self._overlays = dict(overlays)
        self._pins = dict(pins or {})
        for agent, version in self._pins.items():
            if agent not in self._templates:
                raise PromptError(f"pinned prompt for unknown agent {agent!r}; "
                                  f"known agents: {', '.join(sorted(self._templates))}")
            if version not in self._templates[agent]:
                raise PromptError(f"pinned prompt version {agent}={version} does not exist; "
                                  f"available: {', '.join(self._templates[agent])}")

    @classmethod
    def load(cls, root: Path | str = PROMPTS_DIR, pins: Mapping[str, str] | str | None = None) -> PromptRegistry:
        """Read and validate every prompt file under ``root``; raise `PromptError` on the first problem."""
        root = Path(root)
        if isinstance(pins, str):
            pins = parse_pins(pins)
        templates: dict[str, dict[str, PromptTemplate]] = {}
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            if folder.name == "overlays":
                continue
            files = sorted(folder.glob("*.md"), key=lambda p: _natural_key(p.stem))
            if files:
                templates[folder.name] = {p.stem: _read_template(folder.name, p) for p in files}
        overlays = {p.stem: p.read_text(encoding="utf-8").strip() for p in sorted((root / "overlays").glob("*.md"))}
        return cls(templates, overlays, pins)

    @property
    def agents(self) -> tuple[str, ...]:
        """Return the agents that have prompts."""
        return tuple(sorted(self._templates))

    def template(self, agent: str) -> PromptTemplate:
        """Return the pinned (or newest) template of ``agent``."""
        versions = self._templates.get(agent)
        if not versions:
            raise PromptError(f"no prompt for unknown agent {agent!r}; known agents: {', '.join(self.agents)}")
        version = self._pins.get(agent) or list(versions)[-1]
        return versions[version]

    def versions(self) -> dict[str, str]:
        """Return the version in use per agent (for run metadata)."""
        return {agent: self.template(agent).version for agent in self.agents}

    def render(self, agent: str, role: str | None = None, **variables: object) -> RenderedPrompt:
        """Fill the agent's prompt (plus the role overlay) with ``variables``; all declared ones are required."""
        tpl = self.template(agent)
        if role is not None:
            variables = {"role": role, **variables}
        missing = [name for name in tpl.variables if name not in variables]
        if missing:
            raise PromptError(f"prompt {tpl.ref} needs variables {', '.join(missing)}")
        text = tpl.body.format(**{name: variables[name] for name in tpl.variables})
        overlay = self._overlays.get(role or "")
        if overlay:
            text = f"{text.rstrip()}\n\n{_format_known(overlay, variables)}"
        return RenderedPrompt(agent=agent, version=tpl.version, text=text.strip())


def parse_pins(text: str) -> dict[str, str]:
    """Parse ``"supervisor=v1,compliance=v2"`` into a mapping; raise `PromptError` on a malformed item."""
    pins: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        agent, sep, version = item.partition("=")
        if not sep or not agent.strip() or not version.strip():
            raise PromptError(f"malformed prompt pin {item!r}: expected agent=version")
        pins[agent.strip()] = version.strip()
    return pins


def format_pins(versions: Mapping[str, str]) -> str:
    """Return ``versions`` in the pin syntax `parse_pins` reads, sorted by agent ("compliance=v1,...")."""
    return ",".join(f"{agent}={version}" for agent, version in sorted(versions.items()))


def _read_template(agent: str, path: Path) -> PromptTemplate:
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise PromptError(f"{path}: missing front-matter header (--- id / version / variables ---)")
    try:
        header = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: front matter is not valid YAML: {exc}") from exc
    body = match.group(2)
    for key in ("id", "version", "variables"):
        if key not in header:
            raise PromptError(f"{path}: front matter lacks {key!r}")
    if header["id"] != agent:
        raise PromptError(f"{path}: id {header['id']!r} does not match its folder {agent!r}")
    if str(header["version"]) != path.stem:
        raise PromptError(f"{path}: version {header['version']!r} does not match the file name {path.stem!r}")
    declared = tuple(header["variables"] or ())
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(body) if field}
    except ValueError as exc:
        raise PromptError(f"{path}: body is not a valid template: {exc}") from exc
    undeclared = sorted(used - set(declared))
    unused = sorted(set(declared) - used)
    if undeclared:
        raise PromptError(f"{path}: body uses undeclared variables {', '.join(undeclared)}")
    if unused:
        raise PromptError(f"{path}: declared variables never used in the body: {', '.join(unused)}")
    return PromptTemplate(agent=agent, version=path.stem, variables=declared, body=body, path=path)


def _format_known(text: str, variables: Mapping[str, object]) -> str:
    # Overlays may use any variable the agent was given; unknown fields are a file error.
    try:
        return text.format(**variables)
    except KeyError as exc:
        raise PromptError(f"role overlay uses unknown variable {exc}") from exc


def _natural_key(stem: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", stem))
