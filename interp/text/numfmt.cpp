// numfmt.cpp: ports of CPython 3.11's number formatting and parsing onto the C++ standard
// library. Digits come from std::to_chars, which is exact (shortest round-trip, or correctly
// rounded to a precision, ties to even), and are then laid out by ports of
// Python/pystrtod.c (format_float_short), Python/formatter_unicode.c (spec parsing, padding,
// grouping) and Objects/longobject.c (PyLong_FromString); each port keeps CPython's order of
// checks so error messages agree. Values go back through std::from_chars, also exact.
// No state, no allocation beyond the strings returned; no C++ exceptions escape (the
// k_max_format_length cap keeps std::string from throwing length_error).
#include "interp/text/numfmt.h"

#include "interp/text/text.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <system_error>

namespace ftpy::interp::numfmt {
namespace {

// ---------------------------------------------------------------------------------------
// UTF-8 and the few Unicode properties CPython consults (Unicode 14.0, as in CPython 3.11).

struct Decoded {
  char32_t cp;
  std::size_t len;
};

// Decodes the code point starting at byte i; an invalid sequence reads as U+FFFD, one byte.
Decoded decode_at(std::string_view s, std::size_t i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t need;
  char32_t cp;
  if ((b0 & 0xE0) == 0xC0) {
    need = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    need = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    need = 3;
    cp = b0 & 0x07;
  } else {
    return {0xFFFD, 1};
  }
  if (i + need >= s.size()) return {0xFFFD, 1};
  for (std::size_t k = 1; k <= need; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1};
}

std::int64_t count_code_points(std::string_view s) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += decode_at(s, i).len) ++n;
  return n;
}

// Byte length of the first `n` code points of s (all of s if it is shorter).
std::size_t prefix_bytes(std::string_view s, std::int64_t n) {
  std::size_t i = 0;
  for (; i < s.size() && n > 0; --n) i += decode_at(s, i).len;
  return i;
}

// The zero of every run of ten Unicode decimal digits (category Nd) outside ASCII.
constexpr char32_t k_decimal_zeros[] = {
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0,
    0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
    0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
};

// Py_UNICODE_TODECIMAL: 0..9, or -1.
int decimal_value(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9' ? static_cast<int>(cp - '0') : -1;
  const char32_t* it = std::upper_bound(std::begin(k_decimal_zeros), std::end(k_decimal_zeros), cp);
  if (it == std::begin(k_decimal_zeros)) return -1;
  char32_t zero = *(it - 1);
  return cp - zero < 10 ? static_cast<int>(cp - zero) : -1;
}

// Py_ISSPACE: the ASCII whitespace that int() and float() strip.
bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Py_UNICODE_ISSPACE for code points above ASCII.
bool is_unicode_space(char32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

struct Range {
  char32_t first;
  char32_t last;
};

// Code points above ASCII that str.isprintable() rejects (categories Cc Cf Cs Co Cn Zl Zp,
// and Zs other than the space), as closed ranges in order.
constexpr Range k_non_printable[] = {
    {0x80, 0xA0}, {0xAD, 0xAD}, {0x378, 0x379}, {0x380, 0x383}, {0x38B, 0x38B}, {0x38D, 0x38D},
    {0x3A2, 0x3A2}, {0x530, 0x530}, {0x557, 0x558}, {0x58B, 0x58C}, {0x590, 0x590}, {0x5C8, 0x5CF},
    {0x5EB, 0x5EE}, {0x5F5, 0x605}, {0x61C, 0x61C}, {0x6DD, 0x6DD}, {0x70E, 0x70F}, {0x74B, 0x74C},
    {0x7B2, 0x7BF}, {0x7FB, 0x7FC}, {0x82E, 0x82F}, {0x83F, 0x83F}, {0x85C, 0x85D}, {0x85F, 0x85F},
    {0x86B, 0x86F}, {0x88F, 0x897}, {0x8E2, 0x8E2}, {0x984, 0x984}, {0x98D, 0x98E}, {0x991, 0x992},
    {0x9A9, 0x9A9}, {0x9B1, 0x9B1}, {0x9B3, 0x9B5}, {0x9BA, 0x9BB}, {0x9C5, 0x9C6}, {0x9C9, 0x9CA},
    {0x9CF, 0x9D6}, {0x9D8, 0x9DB}, {0x9DE, 0x9DE}, {0x9E4, 0x9E5}, {0x9FF, 0xA00}, {0xA04, 0xA04},
    {0xA0B, 0xA0E}, {0xA11, 0xA12}, {0xA29, 0xA29}, {0xA31, 0xA31}, {0xA34, 0xA34}, {0xA37, 0xA37},
    {0xA3A, 0xA3B}, {0xA3D, 0xA3D}, {0xA43, 0xA46}, {0xA49, 0xA4A}, {0xA4E, 0xA50}, {0xA52, 0xA58},
    {0xA5D, 0xA5D}, {0xA5F, 0xA65}, {0xA77, 0xA80}, {0xA84, 0xA84}, {0xA8E, 0xA8E}, {0xA92, 0xA92},
    {0xAA9, 0xAA9}, {0xAB1, 0xAB1}, {0xAB4, 0xAB4}, {0xABA, 0xABB}, {0xAC6, 0xAC6}, {0xACA, 0xACA},
    {0xACE, 0xACF}, {0xAD1, 0xADF}, {0xAE4, 0xAE5}, {0xAF2, 0xAF8}, {0xB00, 0xB00}, {0xB04, 0xB04},
    {0xB0D, 0xB0E}, {0xB11, 0xB12}, {0xB29, 0xB29}, {0xB31, 0xB31}, {0xB34, 0xB34}, {0xB3A, 0xB3B},
    {0xB45, 0xB46}, {0xB49, 0xB4A}, {0xB4E, 0xB54}, {0xB58, 0xB5B}, {0xB5E, 0xB5E}, {0xB64, 0xB65},
    {0xB78, 0xB81}, {0xB84, 0xB84}, {0xB8B, 0xB8D}, {0xB91, 0xB91}, {0xB96, 0xB98}, {0xB9B, 0xB9B},
    {0xB9D, 0xB9D}, {0xBA0, 0xBA2}, {0xBA5, 0xBA7}, {0xBAB, 0xBAD}, {0xBBA, 0xBBD}, {0xBC3, 0xBC5},
    {0xBC9, 0xBC9}, {0xBCE, 0xBCF}, {0xBD1, 0xBD6}, {0xBD8, 0xBE5}, {0xBFB, 0xBFF}, {0xC0D, 0xC0D},
    {0xC11, 0xC11}, {0xC29, 0xC29}, {0xC3A, 0xC3B}, {0xC45, 0xC45}, {0xC49, 0xC49}, {0xC4E, 0xC54},
    {0xC57, 0xC57}, {0xC5B, 0xC5C}, {0xC5E, 0xC5F}, {0xC64, 0xC65}, {0xC70, 0xC76}, {0xC8D, 0xC8D},
    {0xC91, 0xC91}, {0xCA9, 0xCA9}, {0xCB4, 0xCB4}, {0xCBA, 0xCBB}, {0xCC5, 0xCC5}, {0xCC9, 0xCC9},
    {0xCCE, 0xCD4}, {0xCD7, 0xCDC}, {0xCDF, 0xCDF}, {0xCE4, 0xCE5}, {0xCF0, 0xCF0}, {0xCF3, 0xCFF},
    {0xD0D, 0xD0D}, {0xD11, 0xD11}, {0xD45, 0xD45}, {0xD49, 0xD49}, {0xD50, 0xD53}, {0xD64, 0xD65},
    {0xD80, 0xD80}, {0xD84, 0xD84}, {0xD97, 0xD99}, {0xDB2, 0xDB2}, {0xDBC, 0xDBC}, {0xDBE, 0xDBF},
    {0xDC7, 0xDC9}, {0xDCB, 0xDCE}, {0xDD5, 0xDD5}, {0xDD7, 0xDD7}, {0xDE0, 0xDE5}, {0xDF0, 0xDF1},
    {0xDF5, 0xE00}, {0xE3B, 0xE3E}, {0xE5C, 0xE80}, {0xE83, 0xE83}, {0xE85, 0xE85}, {0xE8B, 0xE8B},
    {0xEA4, 0xEA4}, {0xEA6, 0xEA6}, {0xEBE, 0xEBF}, {0xEC5, 0xEC5}, {0xEC7, 0xEC7}, {0xECE, 0xECF},
    {0xEDA, 0xEDB}, {0xEE0, 0xEFF}, {0xF48, 0xF48}, {0xF6D, 0xF70}, {0xF98, 0xF98}, {0xFBD, 0xFBD},
    {0xFCD, 0xFCD}, {0xFDB, 0xFFF}, {0x10C6, 0x10C6}, {0x10C8, 0x10CC}, {0x10CE, 0x10CF},
    {0x1249, 0x1249}, {0x124E, 0x124F}, {0x1257, 0x1257}, {0x1259, 0x1259}, {0x125E, 0x125F},
    {0x1289, 0x1289}, {0x128E, 0x128F}, {0x12B1, 0x12B1}, {0x12B6, 0x12B7}, {0x12BF, 0x12BF},
    {0x12C1, 0x12C1}, {0x12C6, 0x12C7}, {0x12D7, 0x12D7}, {0x1311, 0x1311}, {0x1316, 0x1317},
    {0x135B, 0x135C}, {0x137D, 0x137F}, {0x139A, 0x139F}, {0x13F6, 0x13F7}, {0x13FE, 0x13FF},
    {0x1680, 0x1680}, {0x169D, 0x169F}, {0x16F9, 0x16FF}, {0x1716, 0x171E}, {0x1737, 0x173F},
    {0x1754, 0x175F}, {0x176D, 0x176D}, {0x1771, 0x1771}, {0x1774, 0x177F}, {0x17DE, 0x17DF},
    {0x17EA, 0x17EF}, {0x17FA, 0x17FF}, {0x180E, 0x180E}, {0x181A, 0x181F}, {0x1879, 0x187F},
    {0x18AB, 0x18AF}, {0x18F6, 0x18FF}, {0x191F, 0x191F}, {0x192C, 0x192F}, {0x193C, 0x193F},
    {0x1941, 0x1943}, {0x196E, 0x196F}, {0x1975, 0x197F}, {0x19AC, 0x19AF}, {0x19CA, 0x19CF},
    {0x19DB, 0x19DD}, {0x1A1C, 0x1A1D}, {0x1A5F, 0x1A5F}, {0x1A7D, 0x1A7E}, {0x1A8A, 0x1A8F},
    {0x1A9A, 0x1A9F}, {0x1AAE, 0x1AAF}, {0x1ACF, 0x1AFF}, {0x1B4D, 0x1B4F}, {0x1B7F, 0x1B7F},
    {0x1BF4, 0x1BFB}, {0x1C38, 0x1C3A}, {0x1C4A, 0x1C4C}, {0x1C89, 0x1C8F}, {0x1CBB, 0x1CBC},
    {0x1CC8, 0x1CCF}, {0x1CFB, 0x1CFF}, {0x1F16, 0x1F17}, {0x1F1E, 0x1F1F}, {0x1F46, 0x1F47},
    {0x1F4E, 0x1F4F}, {0x1F58, 0x1F58}, {0x1F5A, 0x1F5A}, {0x1F5C, 0x1F5C}, {0x1F5E, 0x1F5E},
    {0x1F7E, 0x1F7F}, {0x1FB5, 0x1FB5}, {0x1FC5, 0x1FC5}, {0x1FD4, 0x1FD5}, {0x1FDC, 0x1FDC},
    {0x1FF0, 0x1FF1}, {0x1FF5, 0x1FF5}, {0x1FFF, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x206F},
    {0x2072, 0x2073}, {0x208F, 0x208F}, {0x209D, 0x209F}, {0x20C1, 0x20CF}, {0x20F1, 0x20FF},
    {0x218C, 0x218F}, {0x2427, 0x243F}, {0x244B, 0x245F}, {0x2B74, 0x2B75}, {0x2B96, 0x2B96},
    {0x2CF4, 0x2CF8}, {0x2D26, 0x2D26}, {0x2D28, 0x2D2C}, {0x2D2E, 0x2D2F}, {0x2D68, 0x2D6E},
    {0x2D71, 0x2D7E}, {0x2D97, 0x2D9F}, {0x2DA7, 0x2DA7}, {0x2DAF, 0x2DAF}, {0x2DB7, 0x2DB7},
    {0x2DBF, 0x2DBF}, {0x2DC7, 0x2DC7}, {0x2DCF, 0x2DCF}, {0x2DD7, 0x2DD7}, {0x2DDF, 0x2DDF},
    {0x2E5E, 0x2E7F}, {0x2E9A, 0x2E9A}, {0x2EF4, 0x2EFF}, {0x2FD6, 0x2FEF}, {0x2FFC, 0x3000},
    {0x3040, 0x3040}, {0x3097, 0x3098}, {0x3100, 0x3104}, {0x3130, 0x3130}, {0x318F, 0x318F},
    {0x31E4, 0x31EF}, {0x321F, 0x321F}, {0xA48D, 0xA48F}, {0xA4C7, 0xA4CF}, {0xA62C, 0xA63F},
    {0xA6F8, 0xA6FF}, {0xA7CB, 0xA7CF}, {0xA7D2, 0xA7D2}, {0xA7D4, 0xA7D4}, {0xA7DA, 0xA7F1},
    {0xA82D, 0xA82F}, {0xA83A, 0xA83F}, {0xA878, 0xA87F}, {0xA8C6, 0xA8CD}, {0xA8DA, 0xA8DF},
    {0xA954, 0xA95E}, {0xA97D, 0xA97F}, {0xA9CE, 0xA9CE}, {0xA9DA, 0xA9DD}, {0xA9FF, 0xA9FF},
    {0xAA37, 0xAA3F}, {0xAA4E, 0xAA4F}, {0xAA5A, 0xAA5B}, {0xAAC3, 0xAADA}, {0xAAF7, 0xAB00},
    {0xAB07, 0xAB08}, {0xAB0F, 0xAB10}, {0xAB17, 0xAB1F}, {0xAB27, 0xAB27}, {0xAB2F, 0xAB2F},
    {0xAB6C, 0xAB6F}, {0xABEE, 0xABEF}, {0xABFA, 0xABFF}, {0xD7A4, 0xD7AF}, {0xD7C7, 0xD7CA},
    {0xD7FC, 0xF8FF}, {0xFA6E, 0xFA6F}, {0xFADA, 0xFAFF}, {0xFB07, 0xFB12}, {0xFB18, 0xFB1C},
    {0xFB37, 0xFB37}, {0xFB3D, 0xFB3D}, {0xFB3F, 0xFB3F}, {0xFB42, 0xFB42}, {0xFB45, 0xFB45},
    {0xFBC3, 0xFBD2}, {0xFD90, 0xFD91}, {0xFDC8, 0xFDCE}, {0xFDD0, 0xFDEF}, {0xFE1A, 0xFE1F},
    {0xFE53, 0xFE53}, {0xFE67, 0xFE67}, {0xFE6C, 0xFE6F}, {0xFE75, 0xFE75}, {0xFEFD, 0xFF00},
    {0xFFBF, 0xFFC1}, {0xFFC8, 0xFFC9}, {0xFFD0, 0xFFD1}, {0xFFD8, 0xFFD9}, {0xFFDD, 0xFFDF},
    {0xFFE7, 0xFFE7}, {0xFFEF, 0xFFFB}, {0xFFFE, 0xFFFF}, {0x1000C, 0x1000C}, {0x10027, 0x10027},
    {0x1003B, 0x1003B}, {0x1003E, 0x1003E}, {0x1004E, 0x1004F}, {0x1005E, 0x1007F},
    {0x100FB, 0x100FF}, {0x10103, 0x10106}, {0x10134, 0x10136}, {0x1018F, 0x1018F},
    {0x1019D, 0x1019F}, {0x101A1, 0x101CF}, {0x101FE, 0x1027F}, {0x1029D, 0x1029F},
    {0x102D1, 0x102DF}, {0x102FC, 0x102FF}, {0x10324, 0x1032C}, {0x1034B, 0x1034F},
    {0x1037B, 0x1037F}, {0x1039E, 0x1039E}, {0x103C4, 0x103C7}, {0x103D6, 0x103FF},
    {0x1049E, 0x1049F}, {0x104AA, 0x104AF}, {0x104D4, 0x104D7}, {0x104FC, 0x104FF},
    {0x10528, 0x1052F}, {0x10564, 0x1056E}, {0x1057B, 0x1057B}, {0x1058B, 0x1058B},
    {0x10593, 0x10593}, {0x10596, 0x10596}, {0x105A2, 0x105A2}, {0x105B2, 0x105B2},
    {0x105BA, 0x105BA}, {0x105BD, 0x105FF}, {0x10737, 0x1073F}, {0x10756, 0x1075F},
    {0x10768, 0x1077F}, {0x10786, 0x10786}, {0x107B1, 0x107B1}, {0x107BB, 0x107FF},
    {0x10806, 0x10807}, {0x10809, 0x10809}, {0x10836, 0x10836}, {0x10839, 0x1083B},
    {0x1083D, 0x1083E}, {0x10856, 0x10856}, {0x1089F, 0x108A6}, {0x108B0, 0x108DF},
    {0x108F3, 0x108F3}, {0x108F6, 0x108FA}, {0x1091C, 0x1091E}, {0x1093A, 0x1093E},
    {0x10940, 0x1097F}, {0x109B8, 0x109BB}, {0x109D0, 0x109D1}, {0x10A04, 0x10A04},
    {0x10A07, 0x10A0B}, {0x10A14, 0x10A14}, {0x10A18, 0x10A18}, {0x10A36, 0x10A37},
    {0x10A3B, 0x10A3E}, {0x10A49, 0x10A4F}, {0x10A59, 0x10A5F}, {0x10AA0, 0x10ABF},
    {0x10AE7, 0x10AEA}, {0x10AF7, 0x10AFF}, {0x10B36, 0x10B38}, {0x10B56, 0x10B57},
    {0x10B73, 0x10B77}, {0x10B92, 0x10B98}, {0x10B9D, 0x10BA8}, {0x10BB0, 0x10BFF},
    {0x10C49, 0x10C7F}, {0x10CB3, 0x10CBF}, {0x10CF3, 0x10CF9}, {0x10D28, 0x10D2F},
    {0x10D3A, 0x10E5F}, {0x10E7F, 0x10E7F}, {0x10EAA, 0x10EAA}, {0x10EAE, 0x10EAF},
    {0x10EB2, 0x10EFF}, {0x10F28, 0x10F2F}, {0x10F5A, 0x10F6F}, {0x10F8A, 0x10FAF},
    {0x10FCC, 0x10FDF}, {0x10FF7, 0x10FFF}, {0x1104E, 0x11051}, {0x11076, 0x1107E},
    {0x110BD, 0x110BD}, {0x110C3, 0x110CF}, {0x110E9, 0x110EF}, {0x110FA, 0x110FF},
    {0x11135, 0x11135}, {0x11148, 0x1114F}, {0x11177, 0x1117F}, {0x111E0, 0x111E0},
    {0x111F5, 0x111FF}, {0x11212, 0x11212}, {0x1123F, 0x1127F}, {0x11287, 0x11287},
    {0x11289, 0x11289}, {0x1128E, 0x1128E}, {0x1129E, 0x1129E}, {0x112AA, 0x112AF},
    {0x112EB, 0x112EF}, {0x112FA, 0x112FF}, {0x11304, 0x11304}, {0x1130D, 0x1130E},
    {0x11311, 0x11312}, {0x11329, 0x11329}, {0x11331, 0x11331}, {0x11334, 0x11334},
    {0x1133A, 0x1133A}, {0x11345, 0x11346}, {0x11349, 0x1134A}, {0x1134E, 0x1134F},
    {0x11351, 0x11356}, {0x11358, 0x1135C}, {0x11364, 0x11365}, {0x1136D, 0x1136F},
    {0x11375, 0x113FF}, {0x1145C, 0x1145C}, {0x11462, 0x1147F}, {0x114C8, 0x114CF},
    {0x114DA, 0x1157F}, {0x115B6, 0x115B7}, {0x115DE, 0x115FF}, {0x11645, 0x1164F},
    {0x1165A, 0x1165F}, {0x1166D, 0x1167F}, {0x116BA, 0x116BF}, {0x116CA, 0x116FF},
    {0x1171B, 0x1171C}, {0x1172C, 0x1172F}, {0x11747, 0x117FF}, {0x1183C, 0x1189F},
    {0x118F3, 0x118FE}, {0x11907, 0x11908}, {0x1190A, 0x1190B}, {0x11914, 0x11914},
    {0x11917, 0x11917}, {0x11936, 0x11936}, {0x11939, 0x1193A}, {0x11947, 0x1194F},
    {0x1195A, 0x1199F}, {0x119A8, 0x119A9}, {0x119D8, 0x119D9}, {0x119E5, 0x119FF},
    {0x11A48, 0x11A4F}, {0x11AA3, 0x11AAF}, {0x11AF9, 0x11BFF}, {0x11C09, 0x11C09},
    {0x11C37, 0x11C37}, {0x11C46, 0x11C4F}, {0x11C6D, 0x11C6F}, {0x11C90, 0x11C91},
    {0x11CA8, 0x11CA8}, {0x11CB7, 0x11CFF}, {0x11D07, 0x11D07}, {0x11D0A, 0x11D0A},
    {0x11D37, 0x11D39}, {0x11D3B, 0x11D3B}, {0x11D3E, 0x11D3E}, {0x11D48, 0x11D4F},
    {0x11D5A, 0x11D5F}, {0x11D66, 0x11D66}, {0x11D69, 0x11D69}, {0x11D8F, 0x11D8F},
    {0x11D92, 0x11D92}, {0x11D99, 0x11D9F}, {0x11DAA, 0x11EDF}, {0x11EF9, 0x11FAF},
    {0x11FB1, 0x11FBF}, {0x11FF2, 0x11FFE}, {0x1239A, 0x123FF}, {0x1246F, 0x1246F},
    {0x12475, 0x1247F}, {0x12544, 0x12F8F}, {0x12FF3, 0x12FFF}, {0x1342F, 0x143FF},
    {0x14647, 0x167FF}, {0x16A39, 0x16A3F}, {0x16A5F, 0x16A5F}, {0x16A6A, 0x16A6D},
    {0x16ABF, 0x16ABF}, {0x16ACA, 0x16ACF}, {0x16AEE, 0x16AEF}, {0x16AF6, 0x16AFF},
    {0x16B46, 0x16B4F}, {0x16B5A, 0x16B5A}, {0x16B62, 0x16B62}, {0x16B78, 0x16B7C},
    {0x16B90, 0x16E3F}, {0x16E9B, 0x16EFF}, {0x16F4B, 0x16F4E}, {0x16F88, 0x16F8E},
    {0x16FA0, 0x16FDF}, {0x16FE5, 0x16FEF}, {0x16FF2, 0x16FFF}, {0x187F8, 0x187FF},
    {0x18CD6, 0x18CFF}, {0x18D09, 0x1AFEF}, {0x1AFF4, 0x1AFF4}, {0x1AFFC, 0x1AFFC},
    {0x1AFFF, 0x1AFFF}, {0x1B123, 0x1B14F}, {0x1B153, 0x1B163}, {0x1B168, 0x1B16F},
    {0x1B2FC, 0x1BBFF}, {0x1BC6B, 0x1BC6F}, {0x1BC7D, 0x1BC7F}, {0x1BC89, 0x1BC8F},
    {0x1BC9A, 0x1BC9B}, {0x1BCA0, 0x1CEFF}, {0x1CF2E, 0x1CF2F}, {0x1CF47, 0x1CF4F},
    {0x1CFC4, 0x1CFFF}, {0x1D0F6, 0x1D0FF}, {0x1D127, 0x1D128}, {0x1D173, 0x1D17A},
    {0x1D1EB, 0x1D1FF}, {0x1D246, 0x1D2DF}, {0x1D2F4, 0x1D2FF}, {0x1D357, 0x1D35F},
    {0x1D379, 0x1D3FF}, {0x1D455, 0x1D455}, {0x1D49D, 0x1D49D}, {0x1D4A0, 0x1D4A1},
    {0x1D4A3, 0x1D4A4}, {0x1D4A7, 0x1D4A8}, {0x1D4AD, 0x1D4AD}, {0x1D4BA, 0x1D4BA},
    {0x1D4BC, 0x1D4BC}, {0x1D4C4, 0x1D4C4}, {0x1D506, 0x1D506}, {0x1D50B, 0x1D50C},
    {0x1D515, 0x1D515}, {0x1D51D, 0x1D51D}, {0x1D53A, 0x1D53A}, {0x1D53F, 0x1D53F},
    {0x1D545, 0x1D545}, {0x1D547, 0x1D549}, {0x1D551, 0x1D551}, {0x1D6A6, 0x1D6A7},
    {0x1D7CC, 0x1D7CD}, {0x1DA8C, 0x1DA9A}, {0x1DAA0, 0x1DAA0}, {0x1DAB0, 0x1DEFF},
    {0x1DF1F, 0x1DFFF}, {0x1E007, 0x1E007}, {0x1E019, 0x1E01A}, {0x1E022, 0x1E022},
    {0x1E025, 0x1E025}, {0x1E02B, 0x1E0FF}, {0x1E12D, 0x1E12F}, {0x1E13E, 0x1E13F},
    {0x1E14A, 0x1E14D}, {0x1E150, 0x1E28F}, {0x1E2AF, 0x1E2BF}, {0x1E2FA, 0x1E2FE},
    {0x1E300, 0x1E7DF}, {0x1E7E7, 0x1E7E7}, {0x1E7EC, 0x1E7EC}, {0x1E7EF, 0x1E7EF},
    {0x1E7FF, 0x1E7FF}, {0x1E8C5, 0x1E8C6}, {0x1E8D7, 0x1E8FF}, {0x1E94C, 0x1E94F},
    {0x1E95A, 0x1E95D}, {0x1E960, 0x1EC70}, {0x1ECB5, 0x1ED00}, {0x1ED3E, 0x1EDFF},
    {0x1EE04, 0x1EE04}, {0x1EE20, 0x1EE20}, {0x1EE23, 0x1EE23}, {0x1EE25, 0x1EE26},
    {0x1EE28, 0x1EE28}, {0x1EE33, 0x1EE33}, {0x1EE38, 0x1EE38}, {0x1EE3A, 0x1EE3A},
    {0x1EE3C, 0x1EE41}, {0x1EE43, 0x1EE46}, {0x1EE48, 0x1EE48}, {0x1EE4A, 0x1EE4A},
    {0x1EE4C, 0x1EE4C}, {0x1EE50, 0x1EE50}, {0x1EE53, 0x1EE53}, {0x1EE55, 0x1EE56},
    {0x1EE58, 0x1EE58}, {0x1EE5A, 0x1EE5A}, {0x1EE5C, 0x1EE5C}, {0x1EE5E, 0x1EE5E},
    {0x1EE60, 0x1EE60}, {0x1EE63, 0x1EE63}, {0x1EE65, 0x1EE66}, {0x1EE6B, 0x1EE6B},
    {0x1EE73, 0x1EE73}, {0x1EE78, 0x1EE78}, {0x1EE7D, 0x1EE7D}, {0x1EE7F, 0x1EE7F},
    {0x1EE8A, 0x1EE8A}, {0x1EE9C, 0x1EEA0}, {0x1EEA4, 0x1EEA4}, {0x1EEAA, 0x1EEAA},
    {0x1EEBC, 0x1EEEF}, {0x1EEF2, 0x1EFFF}, {0x1F02C, 0x1F02F}, {0x1F094, 0x1F09F},
    {0x1F0AF, 0x1F0B0}, {0x1F0C0, 0x1F0C0}, {0x1F0D0, 0x1F0D0}, {0x1F0F6, 0x1F0FF},
    {0x1F1AE, 0x1F1E5}, {0x1F203, 0x1F20F}, {0x1F23C, 0x1F23F}, {0x1F249, 0x1F24F},
    {0x1F252, 0x1F25F}, {0x1F266, 0x1F2FF}, {0x1F6D8, 0x1F6DC}, {0x1F6ED, 0x1F6EF},
    {0x1F6FD, 0x1F6FF}, {0x1F774, 0x1F77F}, {0x1F7D9, 0x1F7DF}, {0x1F7EC, 0x1F7EF},
    {0x1F7F1, 0x1F7FF}, {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F},
    {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8AF}, {0x1F8B2, 0x1F8FF}, {0x1FA54, 0x1FA5F},
    {0x1FA6E, 0x1FA6F}, {0x1FA75, 0x1FA77}, {0x1FA7D, 0x1FA7F}, {0x1FA87, 0x1FA8F},
    {0x1FAAD, 0x1FAAF}, {0x1FABB, 0x1FABF}, {0x1FAC6, 0x1FACF}, {0x1FADA, 0x1FADF},
    {0x1FAE8, 0x1FAEF}, {0x1FAF7, 0x1FAFF}, {0x1FB93, 0x1FB93}, {0x1FBCB, 0x1FBEF},
    {0x1FBFA, 0x1FFFF}, {0x2A6E0, 0x2A6FF}, {0x2B739, 0x2B73F}, {0x2B81E, 0x2B81F},
    {0x2CEA2, 0x2CEAF}, {0x2EBE1, 0x2F7FF}, {0x2FA1E, 0x2FFFF}, {0x3134B, 0xE00FF},
    {0xE01F0, 0x10FFFF},
};

bool is_printable(char32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
  const Range* it = std::upper_bound(std::begin(k_non_printable), std::end(k_non_printable), cp,
                                     [](char32_t c, const Range& r) { return c < r.first; });
  return it == std::begin(k_non_printable) || cp > (it - 1)->last;
}

void append_hex(std::string* out, char32_t v, int width) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int shift = 4 * (width - 1); shift >= 0; shift -= 4) out->push_back(k_hex[(v >> shift) & 0xF]);
}

// The first `n` code points of s (CPython's "%.200R" cuts the repr, quote and all).
std::string truncate_code_points(std::string s, std::int64_t n) {
  s.resize(prefix_bytes(s, n));
  return s;
}

// _PyUnicode_TransformDecimalAndSpaceToASCII: what int() and float() parse. ASCII stays,
// Unicode spaces become ' ', Unicode digits become ASCII digits, and anything else ends the
// text with '?', which no parser accepts.
std::string to_ascii_digits_and_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    Decoded d = decode_at(text, i);
    i += d.len;
    if (is_unicode_space(d.cp)) {
      out.push_back(' ');
    } else if (int v = decimal_value(d.cp); v >= 0) {
      out.push_back(static_cast<char>('0' + v));
    } else {
      out.push_back('?');
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Decimal digits, as David Gay's dtoa hands them to CPython.

// Most significant digits any double has (767) and the last place after the point where a
// double can have a nonzero digit (1074): beyond these every digit is 0, so to_chars is never
// asked for more and the layout code pads the zeros.
constexpr int k_max_sig_digits = 800;
constexpr int k_max_frac_digits = 1100;

// value = 0.d1 d2 ... d_len * 10^decpt, no leading or trailing zero digits. Zero is "0" with
// decpt 1; a nonzero value that rounds to nothing (fixed mode) is "" with decpt -ndigits.
struct Digits {
  char buf[1536];  // 309 integer digits + '.' + k_max_frac_digits, with room to spare
  int len = 0;
  int decpt = 0;
};

// Parses to_chars' scientific output "d[.ddd]e[+-]xx" into digits.
void take_scientific(const char* p, const char* end, Digits* d) {
  d->len = 0;
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.') d->buf[d->len++] = *p;
  int exp = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exp);
  d->decpt = exp + 1;
  while (d->len > 1 && d->buf[d->len - 1] == '0') --d->len;
}

// dtoa mode 0: the shortest digits that round-trip (ax finite, >= 0).
void digits_shortest(double ax, Digits* d) {
  if (ax == 0) {
    d->buf[0] = '0';
    d->len = 1;
    d->decpt = 1;
    return;
  }
  char tmp[64];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, ax, std::chars_format::scientific);
  take_scientific(tmp, r.ptr, d);
}

// dtoa mode 2: n >= 1 significant digits, correctly rounded.
void digits_significant(double ax, std::int64_t n, Digits* d) {
  if (ax == 0) {
    digits_shortest(ax, d);
    return;
  }
  int prec = static_cast<int>(std::min<std::int64_t>(n, k_max_sig_digits)) - 1;
  char tmp[k_max_sig_digits + 16];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, ax, std::chars_format::scientific, prec);
  take_scientific(tmp, r.ptr, d);
}

// dtoa mode 3: digits through n >= 0 places after the point, correctly rounded.
void digits_fixed(double ax, std::int64_t n, Digits* d) {
  if (ax == 0) {
    digits_shortest(ax, d);
    return;
  }
  int prec = static_cast<int>(std::min<std::int64_t>(n, k_max_frac_digits));
  char tmp[sizeof d->buf];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, ax, std::chars_format::fixed, prec);
  int int_len = 0;
  d->len = 0;
  bool in_frac = false;
  for (const char* p = tmp; p < r.ptr; ++p) {
    if (*p == '.') {
      in_frac = true;
      continue;
    }
    if (!in_frac) ++int_len;
    if (d->len == 0 && *p == '0') {  // drop leading zeros, moving the point left
      --int_len;
      continue;
    }
    d->buf[d->len++] = *p;
  }
  while (d->len > 0 && d->buf[d->len - 1] == '0') --d->len;
  d->decpt = d->len == 0 ? static_cast<int>(-std::min<std::int64_t>(n, INT_MAX)) : int_len;
}

// dtoa mode 3 with n < 0: rounds to a multiple of 10^-n. to_chars cannot round left of the
// point, so this rounds the exact integer part by hand (ties to even), the fraction only
// breaking ties.
void digits_fixed_negative(double ax, int n, Digits* d) {
  d->len = 0;
  d->decpt = n;
  double ip = std::floor(ax);
  if (ip == 0) return;
  bool frac_nonzero = ax != ip;
  char num[400];
  auto r = std::to_chars(num, num + sizeof num, ip, std::chars_format::fixed, 0);
  int int_len = static_cast<int>(r.ptr - num);
  int keep = int_len + n;  // digits left of the rounding place
  if (keep < 0) return;
  char first = num[keep];
  bool rest_nonzero = frac_nonzero;
  for (int k = keep + 1; k < int_len && !rest_nonzero; ++k) rest_nonzero = num[k] != '0';
  bool kept_odd = keep > 0 && (num[keep - 1] - '0') % 2 == 1;
  bool up = first > '5' || (first == '5' && (rest_nonzero || kept_odd));
  std::memcpy(d->buf, num, static_cast<std::size_t>(keep));
  d->len = keep;
  d->decpt = int_len;
  if (up) {
    int k = keep - 1;
    for (; k >= 0 && d->buf[k] == '9'; --k) d->buf[k] = '0';
    if (k >= 0) {
      ++d->buf[k];
    } else {  // carried out of the top: 99.. became 100..
      d->buf[0] = '1';
      d->len = 1;
      d->decpt = int_len + 1;
    }
  }
  while (d->len > 0 && d->buf[d->len - 1] == '0') --d->len;
}

void append_zeros(std::string* out, std::int64_t n) {
  if (n > 0) out->append(static_cast<std::size_t>(n), '0');
}

// PyOS_double_to_string + format_float_short (Python/pystrtod.c) for code e E f F g G r,
// appending to *out. The sign is '-' or nothing (nan never has one). Returns false when the
// result would exceed k_max_format_length (nothing appended).
bool double_to_string(double v, char code, std::int64_t precision, bool add_dot_0, bool alt,
                      bool no_neg_0, std::string* out) {
  bool upper = code >= 'A' && code <= 'Z';
  char lc = upper ? static_cast<char>(code - 'A' + 'a') : code;
  if (std::isnan(v)) {
    out->append(upper ? "NAN" : "nan");
    return true;
  }
  bool sign = std::signbit(v);
  if (std::isinf(v)) {
    if (sign) out->push_back('-');
    out->append(upper ? "INF" : "inf");
    return true;
  }
  Digits d;
  double ax = std::fabs(v);
  switch (lc) {
    case 'e':
      ++precision;
      digits_significant(ax, precision, &d);
      break;
    case 'f':
      digits_fixed(ax, precision, &d);
      break;
    case 'g':
      if (precision == 0) precision = 1;  // 'g' with precision 0 means 1
      digits_significant(ax, precision, &d);
      break;
    default:  // 'r'
      digits_shortest(ax, &d);
      break;
  }
  if (no_neg_0 && sign && (d.len == 0 || (d.len == 1 && d.buf[0] == '0'))) sign = false;

  // Output the slice [vdigits_start, vdigits_end) of the digits padded with zeros on both
  // sides, with the point at decpt (CPython's comments explain the bookkeeping).
  std::int64_t decpt = d.decpt;
  std::int64_t digits_len = d.len;
  std::int64_t vdigits_end = digits_len;
  bool use_exp = false;
  std::int64_t exp = 0;
  switch (lc) {
    case 'e':
      use_exp = true;
      vdigits_end = precision;
      break;
    case 'f':
      vdigits_end = decpt + precision;
      break;
    case 'g':
      if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision)) use_exp = true;
      if (alt) vdigits_end = precision;
      break;
    default:  // 'r': exponent form from 1e16 on
      if (decpt <= -4 || decpt > 16) use_exp = true;
      break;
  }
  if (use_exp) {
    exp = decpt - 1;
    decpt = 1;
  }
  std::int64_t vdigits_start = decpt <= 0 ? decpt - 1 : 0;
  if (!use_exp && add_dot_0)
    vdigits_end = std::max(vdigits_end, decpt + 1);
  else
    vdigits_end = std::max(vdigits_end, decpt);
  if (vdigits_end - vdigits_start + 8 > k_max_format_length) return false;
  out->reserve(out->size() + static_cast<std::size_t>(vdigits_end - vdigits_start + 8));

  std::string_view digits(d.buf, static_cast<std::size_t>(d.len));
  if (sign) out->push_back('-');
  if (decpt <= 0) {
    append_zeros(out, decpt - vdigits_start);
    out->push_back('.');
    append_zeros(out, -decpt);
  } else {
    append_zeros(out, -vdigits_start);
  }
  if (0 < decpt && decpt <= digits_len) {
    out->append(digits.substr(0, static_cast<std::size_t>(decpt)));
    out->push_back('.');
    out->append(digits.substr(static_cast<std::size_t>(decpt)));
  } else {
    out->append(digits);
  }
  if (digits_len < decpt) {
    append_zeros(out, decpt - digits_len);
    out->push_back('.');
    append_zeros(out, vdigits_end - decpt);
  } else {
    append_zeros(out, vdigits_end - digits_len);
  }
  if (out->back() == '.' && !alt) out->pop_back();
  if (use_exp) {
    out->push_back(upper ? 'E' : 'e');
    out->push_back(exp < 0 ? '-' : '+');
    std::int64_t a = exp < 0 ? -exp : exp;
    if (a < 10) out->push_back('0');
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, a);
    out->append(tmp, r.ptr);
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Format specs (Python/formatter_unicode.c).

enum class Grouping { None, Comma, Underscore, UnderscoreFour };

struct Spec {
  char32_t fill = U' ';
  char32_t align = 0;
  char32_t sign = 0;
  bool no_neg_0 = false;
  bool alternate = false;
  bool zero_pad = false;
  std::int64_t width = -1;
  Grouping grouping = Grouping::None;
  std::int64_t precision = -1;
  char32_t type = 0;
};

bool is_align(char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

// "'c'" for a printable ASCII code, else "'\xNN'", as CPython's messages quote a type.
std::string quote_code(char32_t c) {
  std::string s = "'";
  if (c > 32 && c < 128) {
    s.push_back(static_cast<char>(c));
  } else {
    s.append("\\x");
    char tmp[16];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, static_cast<std::uint32_t>(c), 16);
    s.append(tmp, r.ptr);
  }
  s.push_back('\'');
  return s;
}

std::string unknown_code_message(char32_t type, std::string_view type_name) {
  std::string m = "Unknown format code " + quote_code(type);
  if (!type_name.empty()) {
    m += " for object of type '";
    m += type_name;
    m += "'";
  }
  return m;
}

// get_integer: decimal digits (any Unicode Nd) at *pos. Returns how many were read, or -1
// when the value passes PY_SSIZE_T_MAX.
int get_integer(std::string_view s, std::size_t* pos, std::int64_t* result) {
  std::int64_t acc = 0;
  int count = 0;
  while (*pos < s.size()) {
    Decoded d = decode_at(s, *pos);
    int v = decimal_value(d.cp);
    if (v < 0) break;
    if (acc > (std::numeric_limits<std::int64_t>::max() - v) / 10) return -1;
    acc = acc * 10 + v;
    *pos += d.len;
    ++count;
  }
  *result = acc;
  return count;
}

// parse_internal_render_format_spec with the object's default type and alignment; an empty
// type_name gives CPython's messages without the "for object of type" part.
bool parse_spec(std::string_view text, char32_t default_type, char32_t default_align,
                std::string_view type_name, Spec* spec, std::string* error) {
  *spec = Spec{};
  spec->align = default_align;
  spec->type = default_type;
  std::size_t pos = 0;
  const std::size_t end = text.size();
  bool align_specified = false;
  bool fill_specified = false;

  if (pos < end) {
    Decoded first = decode_at(text, pos);
    if (pos + first.len < end && is_align(static_cast<unsigned char>(text[pos + first.len]))) {
      spec->align = static_cast<unsigned char>(text[pos + first.len]);
      spec->fill = first.cp;
      fill_specified = align_specified = true;
      pos += first.len + 1;
    } else if (is_align(first.cp)) {
      spec->align = first.cp;
      align_specified = true;
      ++pos;
    }
  }
  if (pos < end && (text[pos] == '+' || text[pos] == '-' || text[pos] == ' ')) {
    spec->sign = static_cast<unsigned char>(text[pos++]);
  }
  if (pos < end && text[pos] == 'z') {
    spec->no_neg_0 = true;
    ++pos;
  }
  if (pos < end && text[pos] == '#') {
    spec->alternate = true;
    ++pos;
  }
  if (!fill_specified && pos < end && text[pos] == '0') {
    spec->fill = U'0';
    spec->zero_pad = true;
    if (!align_specified && default_align == '>') spec->align = '=';
    ++pos;
  }
  int consumed = get_integer(text, &pos, &spec->width);
  if (consumed < 0) {
    *error = "Too many decimal digits in format string";
    return false;
  }
  if (consumed == 0) spec->width = -1;
  if (pos < end && text[pos] == ',') {
    spec->grouping = Grouping::Comma;
    ++pos;
  }
  if (pos < end && text[pos] == '_') {
    if (spec->grouping != Grouping::None) {
      *error = "Cannot specify both ',' and '_'.";
      return false;
    }
    spec->grouping = Grouping::Underscore;
    ++pos;
  }
  if (pos < end && text[pos] == ',' && spec->grouping == Grouping::Underscore) {
    *error = "Cannot specify both ',' and '_'.";
    return false;
  }
  if (pos < end && text[pos] == '.') {
    ++pos;
    consumed = get_integer(text, &pos, &spec->precision);
    if (consumed < 0) {
      *error = "Too many decimal digits in format string";
      return false;
    }
    if (consumed == 0) {
      *error = "Format specifier missing precision";
      return false;
    }
  }
  if (pos < end) {
    Decoded t = decode_at(text, pos);
    if (pos + t.len < end) {  // more than one code point left
      *error = "Invalid format specifier";
      if (!type_name.empty()) {
        *error += " '";
        *error += text;
        *error += "' for object of type '";
        *error += type_name;
        *error += "'";
      }
      return false;
    }
    spec->type = t.cp;
  }
  if (spec->grouping != Grouping::None) {
    switch (spec->type) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
        break;  // PEP 378
      case 'b': case 'o': case 'x': case 'X':
        if (spec->grouping == Grouping::Underscore) {  // PEP 515: every four digits
          spec->grouping = Grouping::UnderscoreFour;
          break;
        }
        [[fallthrough]];
      default:
        *error = std::string("Cannot specify '") +
                 (spec->grouping == Grouping::Comma ? ',' : '_') + "' with " +
                 quote_code(spec->type) + ".";
        return false;
    }
  }
  return true;
}

// Digit grouping of one number: separator and group size (no separator: no grouping).
// Always the "C" locale, so 'n' never groups and the point is '.'.
struct Locale {
  char sep = 0;
  int group = 3;
};

Locale locale_for(const Spec& spec) {
  if (spec.type == 'n') return {};
  switch (spec.grouping) {
    case Grouping::Comma: return {',', 3};
    case Grouping::Underscore: return {'_', 3};
    case Grouping::UnderscoreFour: return {'_', 4};
    case Grouping::None: break;
  }
  return {};
}

// _PyUnicode_InsertThousandsGrouping: the digits with separators, left-padded with zeros
// (grouped too) to at least min_width characters.
std::string group_digits(std::string_view digits, std::int64_t min_width, const Locale& loc) {
  min_width = std::max<std::int64_t>(0, min_width);
  std::string rev;  // built from the right, then reversed
  rev.reserve(static_cast<std::size_t>(std::max<std::int64_t>(
      static_cast<std::int64_t>(digits.size()) * 2, min_width + 1)));
  auto pos = static_cast<std::int64_t>(digits.size());
  std::int64_t remaining = pos;
  bool use_sep = false;
  auto emit = [&](std::int64_t n_chars, std::int64_t n_zeros) {
    if (use_sep) rev.push_back(loc.sep);
    for (std::int64_t k = 0; k < n_chars; ++k) rev.push_back(digits[static_cast<std::size_t>(--pos)]);
    rev.append(static_cast<std::size_t>(n_zeros), '0');
  };
  bool done = false;
  if (loc.sep != 0) {
    for (;;) {
      std::int64_t len = std::min<std::int64_t>(loc.group, std::max({remaining, min_width, std::int64_t{1}}));
      std::int64_t n_zeros = std::max<std::int64_t>(0, len - remaining);
      std::int64_t n_chars = std::max<std::int64_t>(0, std::min(remaining, len));
      emit(n_chars, n_zeros);
      use_sep = true;
      remaining -= n_chars;
      min_width -= len;
      if (remaining <= 0 && min_width <= 0) {
        done = true;
        break;
      }
      min_width -= 1;  // the separator's width
    }
  }
  if (!done) {
    std::int64_t len = std::max({remaining, min_width, std::int64_t{1}});
    std::int64_t n_zeros = std::max<std::int64_t>(0, len - remaining);
    std::int64_t n_chars = std::max<std::int64_t>(0, std::min(remaining, len));
    emit(n_chars, n_zeros);
  }
  std::reverse(rev.begin(), rev.end());
  return rev;
}

// A number split as CPython's calc_number_widths sees it.
struct NumberText {
  char sign_char = 0;            // '-' or 0
  std::string_view prefix;       // "0x", "0o", "0b" or empty
  std::string_view digits;       // integer digits; empty only for 'c', inf and nan
  bool has_decimal = false;
  std::string_view remainder;    // after the point: fraction, exponent, '%' (UTF-8)
  std::int64_t remainder_cps = 0;
  bool upper = false;            // 'X': upper-case prefix and digits
};

void append_fill(std::string* out, const std::string& fill, std::int64_t n) {
  for (std::int64_t k = 0; k < n; ++k) out->append(fill);
}

// calc_number_widths + fill_number:
// [lpad][sign][prefix][spad][grouped digits][.][remainder][rpad]. False: too long.
bool layout_number(const Spec& spec, const NumberText& n, std::string* out) {
  char sign = 0;
  if (spec.sign == '+')
    sign = n.sign_char == '-' ? '-' : '+';
  else if (spec.sign == ' ')
    sign = n.sign_char == '-' ? '-' : ' ';
  else if (n.sign_char == '-')
    sign = '-';
  std::int64_t non_digit = (sign != 0) + static_cast<std::int64_t>(n.prefix.size()) +
                           (n.has_decimal ? 1 : 0) + n.remainder_cps;
  std::int64_t min_width = spec.fill == U'0' && spec.align == '=' ? spec.width - non_digit : 0;
  if (min_width > k_max_format_length) return false;
  std::string grouped = n.digits.empty() ? std::string() : group_digits(n.digits, min_width, locale_for(spec));
  std::int64_t padding = spec.width - (non_digit + static_cast<std::int64_t>(grouped.size()));
  if (padding > k_max_format_length) return false;
  std::int64_t lpad = 0, spad = 0, rpad = 0;
  if (padding > 0) {
    switch (spec.align) {
      case '<': rpad = padding; break;
      case '^':
        lpad = padding / 2;
        rpad = padding - lpad;
        break;
      case '=': spad = padding; break;
      default: lpad = padding; break;
    }
  }
  std::string fill;
  text::append_utf8(fill, spec.fill);
  out->clear();
  append_fill(out, fill, lpad);
  if (sign != 0) out->push_back(sign);
  std::size_t cased = out->size();
  out->append(n.prefix);
  if (n.upper)
    std::transform(out->begin() + static_cast<std::ptrdiff_t>(cased), out->end(),
                   out->begin() + static_cast<std::ptrdiff_t>(cased),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  append_fill(out, fill, spad);
  if (n.upper)
    for (char& c : grouped)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  out->append(grouped);
  if (n.has_decimal) out->push_back('.');
  out->append(n.remainder);
  append_fill(out, fill, rpad);
  return true;
}

void set_kind(ErrorKind* kind, ErrorKind k) {
  if (kind != nullptr) *kind = k;
}

bool memory_error(std::string* error, ErrorKind* kind) {
  *error = "";
  set_kind(kind, ErrorKind::Memory);
  return false;
}

bool value_error(std::string* error, ErrorKind* kind, std::string message) {
  *error = std::move(message);
  set_kind(kind, ErrorKind::Value);
  return false;
}

// format_float_internal.
bool format_float_spec(double val, const Spec& spec, std::string* out, std::string* error,
                       ErrorKind* kind) {
  if (spec.precision > INT_MAX) return value_error(error, kind, "precision too big");
  char type = static_cast<char>(spec.type);
  std::int64_t default_precision = 6;
  bool add_dot_0 = false;
  bool add_pct = false;
  if (type == 0) {  // like 'g' with at least one digit after the point, or repr
    add_dot_0 = true;
    type = 'r';
    default_precision = 0;
  }
  if (type == 'n') type = 'g';
  if (type == '%') {
    type = 'f';
    val *= 100;  // in double arithmetic, as CPython
    add_pct = true;
  }
  std::int64_t precision = spec.precision;
  if (precision < 0)
    precision = default_precision;
  else if (type == 'r')
    type = 'g';
  std::string buf;
  if (!double_to_string(val, type, precision, add_dot_0, spec.alternate, spec.no_neg_0, &buf))
    return memory_error(error, kind);
  if (add_pct) buf.push_back('%');

  NumberText n;
  std::string_view s = buf;
  if (!s.empty() && s[0] == '-') {
    n.sign_char = '-';
    s.remove_prefix(1);
  }
  std::size_t k = 0;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
  n.digits = s.substr(0, k);
  n.has_decimal = k < s.size() && s[k] == '.';
  n.remainder = s.substr(k + (n.has_decimal ? 1 : 0));
  n.remainder_cps = static_cast<std::int64_t>(n.remainder.size());
  if (!layout_number(spec, n, out)) return memory_error(error, kind);
  return true;
}

// format_long_internal for types b c d o x X n.
bool format_int_spec(std::int64_t v, const Spec& spec, std::string* out, std::string* error,
                     ErrorKind* kind) {
  if (spec.precision != -1)
    return value_error(error, kind, "Precision not allowed in integer format specifier");
  if (spec.no_neg_0)
    return value_error(error, kind,
                       "Negative zero coercion (z) not allowed in integer format specifier");
  NumberText n;
  std::string body;  // one character for 'c', else the digits
  if (spec.type == 'c') {
    if (spec.sign != 0)
      return value_error(error, kind, "Sign not allowed with integer format specifier 'c'");
    if (spec.alternate)
      return value_error(error, kind,
                         "Alternate form (#) not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF) {
      *error = "%c arg not in range(0x110000)";
      set_kind(kind, ErrorKind::Overflow);
      return false;
    }
    if (v >= 0xD800 && v <= 0xDFFF)  // ftpy's UTF-8 strings cannot hold a lone surrogate
      return value_error(error, kind, "format code 'c': surrogates not allowed");
    text::append_utf8(body, static_cast<char32_t>(v));
    n.remainder = body;
    n.remainder_cps = 1;
  } else {
    int base = 10;
    switch (spec.type) {
      case 'b': base = 2; n.prefix = "0b"; break;
      case 'o': base = 8; n.prefix = "0o"; break;
      case 'x': case 'X': base = 16; n.prefix = "0x"; break;
      default: break;
    }
    if (!spec.alternate) n.prefix = {};
    n.upper = spec.type == 'X';
    body = int_to_base(v, base, false);
    std::string_view s = body;
    if (s[0] == '-') {
      n.sign_char = '-';
      s.remove_prefix(1);
    }
    n.digits = s;
  }
  if (!layout_number(spec, n, out)) return memory_error(error, kind);
  return true;
}

// Python's repr() quoting of a parse error's input.
std::string invalid_int_message(std::string_view text, int base) {
  return "invalid literal for int() with base " + std::to_string(base) + ": " +
         truncate_code_points(str_repr(text), 200);
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 37;
}

// CPython's default sys.get_int_max_str_digits(): longer strings in a base that is not a
// power of two are refused (CVE-2020-10735) before any range check.
constexpr std::int64_t k_int_max_str_digits = 4300;

// The decimal-number grammar of _Py_dg_strtod: digits [. digits] | . digits, then an
// optional exponent e[+-]digits. Returns the end of the longest valid prefix of s (0 if
// none); *mant_end is where the mantissa stops.
std::size_t scan_decimal(std::string_view s, std::size_t* mant_end) {
  std::size_t i = 0;
  std::size_t ndigits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++ndigits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++ndigits;
  }
  if (ndigits == 0) return 0;
  *mant_end = i;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    std::size_t digits_start = j;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j > digits_start) i = j;  // an exponent needs a digit, else it is not part of the number
  }
  return i;
}

bool ascii_iequal(std::string_view s, std::size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    char c = s[at + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != word[k]) return false;
  }
  return true;
}

// Decimal exponent k with value = 0.d1d2... * 10^k (d1 the first nonzero digit), for a
// mantissa/exponent text that from_chars found out of range: k > 0 means it overflowed.
std::int64_t decimal_magnitude(std::string_view num, std::size_t mant_end) {
  std::int64_t k = 0;
  bool seen_nonzero = false;
  bool after_point = false;
  for (std::size_t i = 0; i < mant_end; ++i) {
    char c = num[i];
    if (c == '.') {
      after_point = true;
    } else if (!seen_nonzero) {
      if (c != '0') {
        seen_nonzero = true;
        if (!after_point) ++k;
      } else if (after_point) {
        --k;
      }
    } else if (!after_point) {
      ++k;
    }
  }
  std::int64_t exp = 0;
  bool neg = false;
  std::size_t i = mant_end + 1;
  if (mant_end < num.size()) {
    if (num[i] == '+' || num[i] == '-') neg = num[i++] == '-';
    for (; i < num.size(); ++i) exp = std::min<std::int64_t>(exp * 10 + (num[i] - '0'), 1000000000);
  }
  return k + (neg ? -exp : exp);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Public entry points.

std::string float_repr(double v) {
  std::string out;
  double_to_string(v, 'r', 0, true, false, false, &out);
  return out;
}

bool parse_format_spec(std::string_view spec, FormatSpec* out, std::string* error) {
  Spec s;
  if (!parse_spec(spec, 0, 0, {}, &s, error)) return false;
  if (s.type >= 0x80) {
    *error = unknown_code_message(s.type, {});
    return false;
  }
  if (s.width > INT_MAX || s.precision > INT_MAX) {
    *error = "Too many decimal digits in format string";
    return false;
  }
  *out = FormatSpec{};
  out->fill = s.fill;
  out->align = static_cast<char>(s.align);
  out->sign = static_cast<char>(s.sign);
  out->alternate = s.alternate;
  out->zero_pad = s.zero_pad;
  out->width = static_cast<int>(s.width);
  out->grouping = s.grouping == Grouping::Comma ? ',' : s.grouping == Grouping::None ? 0 : '_';
  out->precision = static_cast<int>(s.precision);
  out->type = static_cast<char>(s.type);
  out->no_neg_zero = s.no_neg_0;
  return true;
}

bool format_int(std::int64_t v, std::string_view spec, std::string* out, std::string* error,
                ErrorKind* kind, std::string_view type_name) {
  if (spec.empty()) {
    *out = std::to_string(v);
    return true;
  }
  Spec s;
  if (!parse_spec(spec, 'd', '>', type_name, &s, error)) {
    set_kind(kind, ErrorKind::Value);
    return false;
  }
  switch (s.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      return format_int_spec(v, s, out, error, kind);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      return format_float_spec(static_cast<double>(v), s, out, error, kind);
    default:
      return value_error(error, kind, unknown_code_message(s.type, type_name));
  }
}

bool format_float(double v, std::string_view spec, std::string* out, std::string* error,
                  ErrorKind* kind) {
  if (spec.empty()) {
    *out = float_repr(v);
    return true;
  }
  Spec s;
  if (!parse_spec(spec, 0, '>', "float", &s, error)) {
    set_kind(kind, ErrorKind::Value);
    return false;
  }
  switch (s.type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
      return format_float_spec(v, s, out, error, kind);
    default:
      return value_error(error, kind, unknown_code_message(s.type, "float"));
  }
}

bool format_str(std::string_view utf8, std::string_view spec, std::string* out,
                std::string* error, ErrorKind* kind) {
  if (spec.empty()) {
    out->assign(utf8);
    return true;
  }
  Spec s;
  if (!parse_spec(spec, 's', '<', "str", &s, error)) {
    set_kind(kind, ErrorKind::Value);
    return false;
  }
  if (s.type != 's') return value_error(error, kind, unknown_code_message(s.type, "str"));
  if (s.sign != 0)
    return value_error(error, kind,
                       s.sign == ' ' ? "Space not allowed in string format specifier"
                                     : "Sign not allowed in string format specifier");
  if (s.no_neg_0)
    return value_error(error, kind,
                       "Negative zero coercion (z) not allowed in string format specifier");
  if (s.alternate)
    return value_error(error, kind, "Alternate form (#) not allowed in string format specifier");
  if (s.align == '=')
    return value_error(error, kind, "'=' alignment not allowed in string format specifier");
  std::int64_t len = count_code_points(utf8);
  std::string_view body = utf8;
  if (s.precision >= 0 && len >= s.precision) {
    body = utf8.substr(0, prefix_bytes(utf8, s.precision));
    len = s.precision;
  }
  std::int64_t total = std::max(len, s.width);
  if (total - len > k_max_format_length) return memory_error(error, kind);
  std::int64_t lpad = s.align == '>' ? total - len : s.align == '^' ? (total - len) / 2 : 0;
  std::int64_t rpad = total - len - lpad;
  std::string fill;
  text::append_utf8(fill, s.fill);
  out->clear();
  append_fill(out, fill, lpad);
  out->append(body);
  append_fill(out, fill, rpad);
  return true;
}

std::string int_to_base(std::int64_t v, int base, bool prefix) {
  static constexpr char k_digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buf[72];
  char* p = buf + sizeof buf;
  // The magnitude in unsigned arithmetic, so INT64_MIN needs no special case.
  std::uint64_t mag = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  auto b = static_cast<std::uint64_t>(base);
  do {
    *--p = k_digits[mag % b];
    mag /= b;
  } while (mag != 0);
  if (prefix) {
    if (base == 16) *--p = 'x';
    if (base == 8) *--p = 'o';
    if (base == 2) *--p = 'b';
    if (base == 16 || base == 8 || base == 2) *--p = '0';
  }
  if (v < 0) *--p = '-';
  return std::string(p, buf + sizeof buf);
}

std::string str_repr(std::string_view utf8) {
  bool has_single = utf8.find('\'') != std::string_view::npos;
  bool has_double = utf8.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out;
  out.reserve(utf8.size() + 2);
  out.push_back(quote);
  for (std::size_t i = 0; i < utf8.size();) {
    Decoded d = decode_at(utf8, i);
    i += d.len;
    char32_t c = d.cp;
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c < 0x80 ? (c < 0x20 || c == 0x7F) : !is_printable(c)) {
      if (c <= 0xFF) {
        out.append("\\x");
        append_hex(&out, c, 2);
      } else if (c <= 0xFFFF) {
        out.append("\\u");
        append_hex(&out, c, 4);
      } else {
        out.append("\\U");
        append_hex(&out, c, 8);
      }
    } else {
      text::append_utf8(out, c);  // re-encoded, so an invalid input byte comes out as U+FFFD
    }
  }
  out.push_back(quote);
  return out;
}

ParseStatus parse_int(std::string_view text, int base, std::int64_t* out, std::string* error) {
  if ((base != 0 && base < 2) || base > 36) {
    *error = "int() base must be >= 2 and <= 36, or 0";
    return ParseStatus::Invalid;
  }
  const std::string buf = to_ascii_digits_and_spaces(text);
  // PyLong_FromString reads a NUL-terminated buffer; past the end reads as NUL.
  auto at = [&](std::size_t i) { return i < buf.size() ? buf[i] : '\0'; };
  auto invalid = [&] {
    *error = invalid_int_message(text, base);
    return ParseStatus::Invalid;
  };
  std::size_t i = 0;
  while (at(i) != '\0' && is_ascii_space(at(i))) ++i;
  bool negative = false;
  if (at(i) == '+') {
    ++i;
  } else if (at(i) == '-') {
    ++i;
    negative = true;
  }
  int b = base;
  bool error_if_nonzero = false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  if (b == 0) {
    char c1 = lower(at(i + 1));
    if (at(i) != '0') {
      b = 10;
    } else if (c1 == 'x') {
      b = 16;
    } else if (c1 == 'o') {
      b = 8;
    } else if (c1 == 'b') {
      b = 2;
    } else {  // "old" C-style octal like 010: only zero is allowed
      error_if_nonzero = true;
      b = 10;
    }
  }
  if (at(i) == '0') {
    char c1 = lower(at(i + 1));
    if ((b == 16 && c1 == 'x') || (b == 8 && c1 == 'o') || (b == 2 && c1 == 'b')) {
      i += 2;
      if (at(i) == '_') ++i;  // one underscore may follow the prefix
    }
  }
  if (at(i) == '_') return invalid();
  const std::size_t start = i;
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  std::uint64_t mag = 0;
  bool overflow = false;
  std::int64_t ndigits = 0;
  char prev = 0;
  for (;;) {
    char c = at(i);
    int dv = digit_value(c);
    if (!(dv < b || c == '_')) break;
    if (c == '_') {
      if (prev == '_') return invalid();  // only one underscore between digits
    } else {
      ++ndigits;
      if (!overflow) {
        auto ub = static_cast<std::uint64_t>(b);
        if (mag > (limit - static_cast<std::uint64_t>(dv)) / ub)
          overflow = true;
        else
          mag = mag * ub + static_cast<std::uint64_t>(dv);
      }
    }
    prev = c;
    ++i;
  }
  if (prev == '_') return invalid();  // no trailing underscore
  if ((b & (b - 1)) != 0 && ndigits > k_int_max_str_digits) {
    *error = "Exceeds the limit (" + std::to_string(k_int_max_str_digits) +
             " digits) for integer string conversion: value has " + std::to_string(ndigits) +
             " digits; use sys.set_int_max_str_digits() to increase the limit";
    return ParseStatus::Invalid;
  }
  if (error_if_nonzero && (overflow || mag != 0)) return invalid();
  if (i == start) return invalid();
  while (at(i) != '\0' && is_ascii_space(at(i))) ++i;
  if (i != buf.size()) return invalid();  // junk after the number, or an embedded NUL
  if (overflow) {
    *error = "int too large to convert";
    return ParseStatus::Overflow;
  }
  *out = negative ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
  return ParseStatus::Ok;
}

ParseStatus parse_float(std::string_view text, double* out, std::string* error) {
  auto invalid = [&] {
    *error = "could not convert string to float: " + str_repr(text);
    return ParseStatus::Invalid;
  };
  std::string buf = to_ascii_digits_and_spaces(text);
  // _Py_string_to_number_with_underscores: '_' only between two digits.
  if (buf.find('_') != std::string::npos) {
    std::string dup;
    dup.reserve(buf.size());
    char prev = 0;
    std::size_t p = 0;
    for (; p < buf.size() && buf[p] != '\0'; ++p) {
      char c = buf[p];
      if (c == '_') {
        if (!(prev >= '0' && prev <= '9')) return invalid();
      } else {
        dup.push_back(c);
        if (prev == '_' && !(c >= '0' && c <= '9')) return invalid();
      }
      prev = c;
    }
    if (prev == '_' || p != buf.size()) return invalid();
    buf = std::move(dup);
  }
  // float_from_string_inner: strip ASCII whitespace, then the whole rest must be a number.
  std::size_t s = 0;
  std::size_t last = buf.size();
  while (s < last && is_ascii_space(buf[s])) ++s;
  if (s == last) return invalid();
  while (s < last - 1 && is_ascii_space(buf[last - 1])) --last;
  std::string_view num(buf.data() + s, last - s);
  bool negative = false;
  if (num[0] == '+' || num[0] == '-') {
    negative = num[0] == '-';
    num.remove_prefix(1);
  }
  double x;
  std::size_t mant_end = 0;
  std::size_t end = scan_decimal(num, &mant_end);
  if (end == 0) {  // _Py_parse_inf_or_nan
    if (ascii_iequal(num, 0, "inf")) {
      end = ascii_iequal(num, 3, "inity") ? 8 : 3;
      x = std::numeric_limits<double>::infinity();
    } else if (ascii_iequal(num, 0, "nan")) {
      end = 3;
      x = std::numeric_limits<double>::quiet_NaN();
    } else {
      return invalid();
    }
    if (end != num.size()) return invalid();
  } else {
    if (end != num.size()) return invalid();
    auto r = std::from_chars(num.data(), num.data() + num.size(), x, std::chars_format::general);
    if (r.ec == std::errc::result_out_of_range) {
      x = decimal_magnitude(num, mant_end) > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    } else if (r.ec != std::errc() || r.ptr != num.data() + num.size()) {
      return invalid();
    }
  }
  *out = negative ? -x : x;
  return ParseStatus::Ok;
}

double round_float(double x, int ndigits) {
  // CPython's NDIGITS_MAX and NDIGITS_MIN: beyond them x is unchanged, or 0 with its sign.
  if (!std::isfinite(x) || ndigits > 323) return x;
  if (ndigits < -308) return 0.0 * x;
  Digits d;
  double ax = std::fabs(x);
  if (ndigits >= 0)
    digits_fixed(ax, ndigits, &d);
  else
    digits_fixed_negative(ax, ndigits, &d);
  if (d.len == 0 || (d.len == 1 && d.buf[0] == '0')) return std::copysign(0.0, x);
  // double_round: read "<digits>e<decpt - len>" back, correctly rounded.
  char text[sizeof d.buf + 16];
  std::memcpy(text, d.buf, static_cast<std::size_t>(d.len));
  char* p = text + d.len;
  *p++ = 'e';
  p = std::to_chars(p, text + sizeof text, d.decpt - d.len).ptr;
  double r = 0;
  auto res = std::from_chars(text, p, r, std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    // Only overflow is possible: every nonzero result is at least 1e-323, a subnormal.
    r = d.decpt > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return std::copysign(r, x);
}

bool round_to_int(double x, std::int64_t* out) {
  if (!std::isfinite(x)) return false;
  double r = std::round(x);
  if (std::fabs(x - r) == 0.5) r = 2.0 * std::round(x / 2.0);  // halfway: to even
  if (r < -9223372036854775808.0 || r >= 9223372036854775808.0) return false;
  *out = static_cast<std::int64_t>(r);
  return true;
}

double float_mod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) mod += b;  // the remainder takes the divisor's sign
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

void float_divmod(double a, double b, double* quotient, double* remainder) {
  double mod = std::fmod(a, b);
  // fmod is exact, so a - mod is mathematically a multiple of b; the division may still
  // land a hair off an integer, which the snapping below repairs.
  double div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, b);
  }
  double floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  *quotient = floordiv;
  *remainder = mod;
}

double float_floordiv(double a, double b) {
  double q, r;
  float_divmod(a, b, &q, &r);
  return q;
}

bool int_add(std::int64_t a, std::int64_t b, std::int64_t* r) {
  return !__builtin_add_overflow(a, b, r);
}

bool int_sub(std::int64_t a, std::int64_t b, std::int64_t* r) {
  return !__builtin_sub_overflow(a, b, r);
}

bool int_mul(std::int64_t a, std::int64_t b, std::int64_t* r) {
  return !__builtin_mul_overflow(a, b, r);
}

bool int_floordiv(std::int64_t a, std::int64_t b, std::int64_t* r) {
  if (b == 0) return false;
  if (a == std::numeric_limits<std::int64_t>::min() && b == -1) return false;
  std::int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  *r = q;
  return true;
}

bool int_mod(std::int64_t a, std::int64_t b, std::int64_t* r) {
  if (b == 0) return false;
  if (b == -1) {  // INT64_MIN % -1 is undefined in C++; in Python it is 0
    *r = 0;
    return true;
  }
  std::int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  *r = m;
  return true;
}

bool int_pow(std::int64_t base, std::int64_t exp, std::int64_t* r) {
  if (exp < 0) return false;
  std::int64_t result = 1;
  std::int64_t square = base;
  // Square only while exponent bits remain, so the last square never overflows spuriously
  // (3**39 and (-2)**63 fit; their next square would not). Partial products never exceed
  // the final result in magnitude, so any overflow on the way is a real one.
  while (exp > 0) {
    if (exp & 1) {
      if (__builtin_mul_overflow(result, square, &result)) return false;
    }
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(square, square, &square)) return false;
  }
  *r = result;
  return true;
}

bool int_lshift(std::int64_t a, std::int64_t n, std::int64_t* r) {
  if (n < 0) return false;
  if (a == 0) {
    *r = 0;
    return true;
  }
  if (n >= 64) return false;
  auto shifted = static_cast<std::int64_t>(static_cast<std::uint64_t>(a) << n);
  if ((shifted >> n) != a) return false;
  *r = shifted;
  return true;
}

bool int_neg(std::int64_t a, std::int64_t* r) { return !__builtin_sub_overflow(std::int64_t{0}, a, r); }

std::int64_t int_rshift(std::int64_t a, std::int64_t n) {
  if (n < 0) return a;
  if (n >= 64) return a < 0 ? -1 : 0;
  return a >> n;
}

}  // namespace ftpy::interp::numfmt
