"""Calling a function with one argument replaced, for the tests that check every public
callable refuses a bad argument by name (tests/diy/test_arguments.py,
tests/study/test_numeric_arguments.py)."""
import inspect


def call_with(function, args, kwargs, name, value):
    """``function(*args, **kwargs)`` with the argument `name` set to `value`: positionally when it
    is the next positional parameter (or the ``*args`` one), else by keyword."""
    parameters = inspect.signature(function).parameters
    kind = parameters[name].kind if name in parameters else None
    if kind is inspect.Parameter.VAR_POSITIONAL or (
            list(parameters).index(name) == len(args) and name not in kwargs
            and kind is not inspect.Parameter.KEYWORD_ONLY):
        return function(*args, value, **kwargs)
    return function(*args, **{**kwargs, name: value})
