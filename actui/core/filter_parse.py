"""Reading a query: words and quotes into tokens, tokens into a tree of terms (filter_ast).

    query := or-group
    or    := and ("or" and)*                      `a b or c` is `(a and b) or c`
    and   := unary+ (an optional "and" between)
    unary := ("not" | "!") unary | "(" or ")" | term
    term  := [!]word | [!]NAME OP VALUE           OP: ":" "=" "<" "<=" ">" ">="

`or`, `and`, `not` are keywords in any case unless quoted. Double quotes keep text together anywhere in a
word (`description:"sales west"`); single quotes do at the start of a word or value (an apostrophe in
`o'brien` is a letter). An unclosed double quote runs to the end (the user is still typing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .filter_ast import (
    BOOL,
    COMPARISONS,
    PHONE_LIKE,
    And,
    Column,
    FilterError,
    Node,
    Not,
    Or,
    Path,
    Word,
    as_bool,
    column_key,
    digits,
    parse_bound,
)

_KEYWORDS = ("or", "and", "not")
_FIELD_OP = re.compile(r"^([A-Za-z_][\w.$-]*)(<=|>=|<|>|:|=)")


@dataclass(frozen=True)
class Token:
    kind: str             # "word", "(", ")", "or", "and", "not"
    text: str = ""        # a word without its quotes
    plain: int = 0        # how many of text's first characters were written unquoted
    quoted: bool = False  # whether any of it was quoted (`description:""` is quoted and empty)


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    i, end = 0, len(query)
    while i < end:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(Token(char))
            i += 1
        elif char == "!" and (i + 1 == end or query[i + 1] in "()" or query[i + 1].isspace()):
            tokens.append(Token("not"))  # `!(a or b)`, `! word`
            i += 1
        else:
            token, i = _read_word(query, i)
            keyword = token.text.lower()
            tokens.append(Token(keyword) if keyword in _KEYWORDS and not token.quoted else token)
    return tokens


def _read_word(query: str, i: int) -> tuple[Token, int]:
    text: list[str] = []
    plain: int | None = None
    end = len(query)
    while i < end and query[i] not in "()" and not query[i].isspace():
        char = query[i]
        if char == '"' or (char == "'" and _opens_single(query, i, text)):
            close = query.find(char, i + 1)
            close = end if close < 0 else close
            plain = len(text) if plain is None else plain
            text.append(query[i + 1:close])
            i = close + 1
        elif char == "\\" and i + 1 < end:
            plain = len(text) if plain is None else plain
            text.append(query[i + 1])
            i += 2
        else:
            text.append(char)
            i += 1
    joined = "".join(text)
    if plain is None:
        return Token("word", joined, len(joined)), i
    return Token("word", joined, len("".join(text[:plain])), quoted=True), i


def _opens_single(query: str, i: int, text: list[str]) -> bool:
    """A single quote quotes at the start of a word or of a value, and only when it is closed before a
    space or the end; elsewhere it is an apostrophe."""
    before = text[-1][-1:] if text else ""
    if before not in ("", ":", "=", "<", ">", "!"):
        return False
    close = query.find("'", i + 1)
    return close > 0 and (close + 1 == len(query) or query[close + 1] in "()" or query[close + 1].isspace())


def parse(query: str, held: Callable[[str], bool] | None = None) -> Node | None:
    """The tree of a query; None for a query with no terms (everything matches). Raises FilterError.

    `held(path)`: whether some number holds a wire path the models do not know (filter_paths.resolve)."""
    query = query.strip()
    if not query:
        return None
    if PHONE_LIKE.match(query):  # `(415) 555-1234`, `+1 212`: one number, however it is spaced
        return Word(digits(query), phone=True)
    return _Parser(tokenize(query), held).parse()


class _Parser:
    def __init__(self, tokens: list[Token], held: Callable[[str], bool] | None):
        self.tokens = tokens
        self.held = held
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.any_of()
        if self.peek() == ")":
            raise FilterError("unbalanced parenthesis: a ')' closes nothing")
        return node

    def any_of(self) -> Node | None:
        groups = [self.all_of()]
        while self.peek() == "or":
            self.at += 1
            if self.peek() in (None, ")", "or"):
                raise FilterError("'or' needs a term after it")
            groups.append(self.all_of())
        if len(groups) == 1:
            return groups[0]
        if any(group is None for group in groups):
            return None  # a side with no terms yet (`class: or x`) matches everything
        return Or(tuple(g for g in groups if g is not None))

    def all_of(self) -> Node | None:
        items: list[Node] = []
        started = self.at
        while self.peek() not in (None, ")", "or"):
            if self.peek() == "and":
                self.at += 1
                if self.at == started + 1 or self.peek() in (None, ")", "or", "and"):
                    raise FilterError("'and' needs a term on each side")
                continue
            item = self.unary()
            if item is not None:
                items.append(item)
        if self.at == started and self.peek() == "or":
            raise FilterError("'or' needs a term before it")
        return None if not items else items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        token = self.tokens[self.at]
        self.at += 1
        if token.kind == "not":
            if self.peek() in (None, ")", "or", "and"):
                raise FilterError("'not' needs a term after it")
            inner = self.unary()
            return None if inner is None else Not(inner)
        if token.kind == "(":
            inner = self.any_of()
            if self.peek() != ")":
                raise FilterError("unbalanced parenthesis: a '(' is never closed")
            self.at += 1
            return inner
        return term(token, self.held)


def term(token: Token, held: Callable[[str], bool] | None = None) -> Node | None:
    text, plain = token.text, token.plain
    if plain and text.startswith("!"):  # `!inactive`, `!status:active`, `!"sales west"`
        inner = term(Token("word", text[1:], plain - 1, token.quoted), held)
        return None if inner is None else Not(inner)
    found = _FIELD_OP.match(text[:plain])
    if found is None:
        return _plain_word(text) if text else None
    name, op, value = found[1], found[2], text[found.end():]
    value_quoted = token.quoted  # the name and operator are never quoted: a quote starts in the value
    source = text
    key = column_key(name) if "." not in name else None
    if key is not None:
        if op == ":" and not value and not value_quoted:
            return None  # `class:` while the user is still typing the value
        if op in COMPARISONS:
            parse_bound(op, value, source)
        phone = key == "number" and op == ":" and bool(PHONE_LIKE.match(value))
        shown = digits(value) if phone else value if op in COMPARISONS else value.lower()
        return Column(key, op, shown, phone, source)
    from .filter_paths import resolve

    path, kind = resolve(name, source, held)
    present = op == ":" and value == "*" and not value_quoted
    if op in COMPARISONS:
        parse_bound(op, value, source)
    elif kind == BOOL and value.strip() and not present and as_bool(value) is None:
        raise FilterError(f"{path} is true or false: {value!r} is neither (in {source!r})")
    return Path(path, kind, op, value, present, source)


def _plain_word(text: str) -> Word:
    if PHONE_LIKE.match(text) and len(digits(text)) >= 3:
        return Word(digits(text), phone=True)
    return Word(text.lower())
