// token.cpp: token spellings and keyword lookup (see token.h).
#include "interp/front/token.h"

#include <array>

namespace ftpy::interp {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(TokenKind::Count_)> k_texts = {
    "ENDMARKER", "NEWLINE", "INDENT", "DEDENT", "NAME", "NUMBER", "NUMBER", "NUMBER", "STRING",
    "ERRORTOKEN",
    "(", ")", "[", "]", "{", "}",
    ":", ",", ";", ".", "...", "->", ":=",
    "+", "-", "*", "/", "//", "%", "**", "@",
    "<<", ">>", "&", "|", "^", "~",
    "<", ">", "<=", ">=", "==", "!=",
    "=",
    "+=", "-=", "*=", "/=", "//=", "%=",
    "**=", "@=", "<<=", ">>=", "&=", "|=",
    "^=",
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield",
};

}  // namespace

std::string_view token_kind_text(TokenKind kind) {
  auto i = static_cast<std::size_t>(kind);
  return i < k_texts.size() ? k_texts[i] : "?";
}

TokenKind keyword_kind(std::string_view name) {
  // Keywords are 2..8 lowercase letters (or a capitalised constant): reject most names with
  // one comparison before scanning the keyword range.
  if (name.size() < 2 || name.size() > 8) return TokenKind::Name;
  for (auto k = static_cast<std::size_t>(TokenKind::KwFalse); k < k_texts.size(); k++) {
    if (k_texts[k] == name) return static_cast<TokenKind>(k);
  }
  return TokenKind::Name;
}

}  // namespace ftpy::interp
