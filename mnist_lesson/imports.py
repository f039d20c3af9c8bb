"""Which ``mnist_lesson`` modules a piece of code uses, read from its import statements.

Two caches depend on this answer: the book re-executes a chapter when a
module the chapter uses changes, and a trained model is retrained when a
module the training uses changes. Both read the code with Python's ``ast``, so every
form Python accepts is understood: parenthesised names with comments,
backslash continuations, several modules on one line, aliases, relative and
starred imports, and imports inside functions.

A name imported from a package counts as the module that defines it:
``from mnist_lesson import accuracy`` uses :mod:`mnist_lesson.evaluation`,
not the whole package. What cannot be narrowed down counts in full: a bare
``import mnist_lesson`` or ``from mnist_lesson import *`` may use any module
of the package, so it counts as all of them.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

__all__ = ["imports_in", "package_modules", "module_closure", "all_modules"]

#: The package whose modules are tracked.
PACKAGE = "mnist_lesson"


def imports_in(source: str, *, package: str | None = None) -> list[tuple[str, str | None]]:
    """Every import in Python ``source``, as ``(module, name)`` pairs.

    ``import a.b`` gives ``("a.b", None)``, ``from a import b`` gives
    ``("a", "b")`` and ``from a import *`` gives ``("a", "*")``. Imports
    anywhere in the code count, including inside functions and branches.

    Parameters
    ----------
    source : str
        Python source code.
    package : str, optional
        The package the code belongs to, needed to resolve relative imports
        (``from .data import load_split``).

    Raises
    ------
    SyntaxError
        If ``source`` is not valid Python.
    ValueError
        If the code has a relative import and no ``package`` is given.

    Examples
    --------
    >>> imports_in("import numpy as np, mnist_lesson")
    [('numpy', None), ('mnist_lesson', None)]
    >>> imports_in("from .data import *", package="mnist_lesson")
    [('mnist_lesson.data', '*')]
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                if not package:
                    raise ValueError(
                        f"relative import `from {'.' * node.level}{module} import …` needs the code's package: "
                        "pass package='mnist_lesson' (or the subpackage the code is in)"
                    )
                module = importlib.util.resolve_name("." * node.level + module, package)
            found.extend((module, alias.name) for alias in node.names)
    return found


def _ours(module: str) -> bool:
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _is_package(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    return spec is not None and spec.submodule_search_locations is not None


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def all_modules(package: str = PACKAGE) -> set[str]:
    """Every module of ``package`` and its subpackages, by name."""
    root = Path(importlib.util.find_spec(package).origin).parent
    out = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.add(".".join((package, *parts)))
    return out


def _defining_module(module: str, name: str) -> str:
    """The module that defines ``name`` as seen from ``module``'s namespace."""
    submodule = f"{module}.{name}"
    if _is_package(module) and _module_exists(submodule):
        return submodule
    value = getattr(importlib.import_module(module), name, None)
    defined_in = getattr(value, "__module__", None)
    if isinstance(defined_in, str) and _ours(defined_in):
        return defined_in
    return module


def package_modules(source: str, *, package: str | None = None) -> set[str]:
    """The ``mnist_lesson`` modules that ``source`` imports directly.

    A name imported from a module counts as the module that defines it; a bare
    ``import mnist_lesson`` or a starred import from the package counts as
    every module of the package (see the module docstring).

    Parameters
    ----------
    source : str
        Python source code.
    package : str, optional
        The package the code belongs to, for relative imports.

    Examples
    --------
    >>> sorted(package_modules("import mnist_lesson.encoding as enc"))
    ['mnist_lesson.encoding']
    >>> package_modules("from mnist_lesson import *") == all_modules()
    True
    """
    modules = set()
    for module, name in imports_in(source, package=package):
        if not _ours(module):
            continue
        if name is None or name == "*":
            if _is_package(module):
                # The package may hand out any of its modules' names.
                modules |= {m for m in all_modules(PACKAGE) if m == module or m.startswith(module + ".")}
            else:
                modules.add(module)
        else:
            modules.add(_defining_module(module, name))
    return modules


#: Imports of a module file, keyed by (path, mtime, size): asked for many times in a build.
_MEMO: dict = {}


def _imports_of(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return set()
    path = Path(spec.origin)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _MEMO:
        package = module if spec.submodule_search_locations is not None else module.rpartition(".")[0]
        _MEMO[key] = frozenset(package_modules(path.read_text(), package=package))
    return set(_MEMO[key])


def module_closure(modules) -> list[str]:
    """The given ``mnist_lesson`` modules and every one they import, transitively, sorted.

    Parameters
    ----------
    modules : iterable of str
        Module names, for example ``["mnist_lesson.training"]``.

    Raises
    ------
    ModuleNotFoundError
        If a named module does not exist.
    """
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if not _module_exists(name):
            raise ModuleNotFoundError(f"no module named {name!r}: check the spelling of the import", name=name)
        seen.add(name)
        todo.extend(_imports_of(name) - seen)
    return sorted(seen)
