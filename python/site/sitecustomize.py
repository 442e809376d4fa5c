"""Loopwright's entry into a Python program (this folder is put on PYTHONPATH by the host).

It shadows any other ``sitecustomize`` (Debian ships one), so it first runs the one it hides, then
activates the instrumentation -- only when Loopwright's variables are set; a Python started with
this folder on its path by accident runs exactly as without it.
"""


def _run_shadowed():
    import importlib.machinery
    import importlib.util
    import os
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    others = [p for p in sys.path if os.path.abspath(p or '.') != here]
    spec = importlib.machinery.PathFinder.find_spec('sitecustomize', others)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules['sitecustomize'] = module  # `import sitecustomize` finds the real one from now on
    spec.loader.exec_module(module)


def _activate():
    import os
    import sys
    if 'LOOPWRIGHT_SHIM_EVENTS_FD' not in os.environ:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    package_root = os.path.dirname(here)
    sys.path.insert(0, package_root)
    try:
        import loopwright_shim
        loopwright_shim.activate()
    except Exception as exc:
        # The program must run as it would without us: the failure goes to the host, not stderr.
        try:
            import json
            os.write(int(os.environ.get('LOOPWRIGHT_SHIM_EVENTS_FD', '-1')),
                     (json.dumps([33, 'shim-error', 'the shim failed to start: %s: %s' % (type(exc).__name__, exc)]) + '\n').encode())
        except Exception:
            pass
    finally:
        # The program sees sys.path as it would without us.
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') not in (package_root, here)]


try:
    # Should the shadowed one raise, the error reaches site.py, which prints it as it would have.
    _run_shadowed()
finally:
    _activate()
