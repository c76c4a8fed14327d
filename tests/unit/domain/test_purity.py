"""The domain core sits at the bottom: it imports no project package, SQL or LangChain (CONTRACTS §1)."""

import ast
from pathlib import Path

FORBIDDEN = {"data", "tools", "agents", "graph", "server", "llm", "checkpoint", "prompts", "sqlalchemy",
             "langchain_core", "langgraph", "pydantic"}


def test_domain_modules_import_only_the_standard_library_and_each_other():
    root = Path(__file__).resolve().parents[3] / "domain"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_llm_does_not_import_the_domain_core():
    root = Path(__file__).resolve().parents[3] / "llm"
    for path in root.rglob("*.py"):
        assert "from domain" not in path.read_text() and "import domain" not in path.read_text(), path
