"""How the packages build on each other: an approval's consequences are named by the app factory,
and no module hides an import cycle inside a function."""

import ast
from pathlib import Path

import pytest
from test_pdf_support import CHAIN, user

from extensions import db
from models import DocState, Document, FrozenPdf
from pdf import freeze
from workflow import documents, revocations

ROOT = Path(__file__).resolve().parent.parent
# Packages whose modules import at the top only. The CLI modules import lazily on purpose (a
# command loads what it needs), and views/__init__ registers blueprints inside a function.
LAYERED = ("workflow", "pdf", "notifications", "search", "linkcheck", "models", "maintenance")
LAZY_BY_DESIGN = {"notifications/outbox/commands.py"}
# The renderer turns print data into a sealed PDF; it knows nothing of memos or their chains.
RENDERER = ("pdf/render.py", "pdf/words.py", "pdf/keep_all.py", "pdf/seal")


def _modules(*parts: str) -> list[Path]:
    found = []
    for part in parts:
        path = ROOT / part
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_module_hides_an_import_cycle_inside_a_function():
    hidden = [
        where
        for path in _modules(*LAYERED)
        if str(path.relative_to(ROOT)) not in LAZY_BY_DESIGN
        for where in _imports_inside_functions(path)
    ]
    assert hidden == []


def test_the_renderer_does_not_call_back_into_the_workflow():
    for path in _modules(*RENDERER):
        reaching = {
            name
            for name in _imported_names(path)
            if name.split(".")[0] in {"workflow", "views", "notifications"}
        }
        assert reaching == set(), path.relative_to(ROOT)


def test_an_approval_fixes_the_pdf_then_marks_the_memo_it_cancels(app):
    assert app.extensions[documents.AFTER_APPROVAL] == (
        freeze.on_approval,
        revocations.on_approval,
    )


def test_an_app_that_names_nothing_after_approval_refuses_to_approve(app, srisuk, monkeypatch):
    monkeypatch.delitem(app.extensions, documents.AFTER_APPROVAL)
    with app.app_context():
        documents.submit(srisuk.memo_id, user("nattanipa"))
        db.session.commit()
        *middle, (last, decision, comment) = CHAIN
        for username, step_decision, step_comment in middle:
            documents.decide(
                srisuk.memo_id, user(username), decision=step_decision, comment=step_comment
            )
            db.session.commit()
        with pytest.raises(RuntimeError, match="on_approval"):
            documents.decide(srisuk.memo_id, user(last), decision=decision, comment=comment)
        db.session.rollback()
        assert db.session.get(Document, srisuk.memo_id).state == DocState.IN_REVIEW
        assert db.session.get(FrozenPdf, srisuk.memo_id) is None
