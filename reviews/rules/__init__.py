"""The flag rule library and engine (pure Python, no Django).

Flags are risks for a person to judge, with the reference behind them and what
to do, never findings of illegality.
"""

from .engine import RULES_VERSION, Hit, flags_json, run_rules
from .knowledge import Knowledge, Party, default_knowledge, merged_knowledge
from .library import CROSS_ARTICLE_RULES, RULES, RULES_BY_CODE, Rule
from .watchterms import WatchTermError, WatchTermRule, compile_terms

__all__ = [
    "CROSS_ARTICLE_RULES",
    "RULES",
    "RULES_BY_CODE",
    "RULES_VERSION",
    "Hit",
    "Knowledge",
    "Party",
    "Rule",
    "WatchTermError",
    "WatchTermRule",
    "compile_terms",
    "default_knowledge",
    "flags_json",
    "merged_knowledge",
    "run_rules",
]
