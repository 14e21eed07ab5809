"""One normalized (E.164) form for phone numbers however they were written.

Numbers are typed by people and sent by telephone exchanges in many ways:
``022 123 45 67``, ``+48 (22) 123-45-67``, ``0048 22 123 45 67``,
``+44 (0)20 7946 0018``, ``22.123.45.67 wew. 12``. Matching callers needs
the same key for all of them, so a number is reduced to ``+<country><number>``
before it is stored or looked up. Extensions are dropped: they reach a
person behind the same line.

``phonenumbers`` decides where a country code ends and which candidate is a
real number; the written forms it does not expect (a legacy trunk ``0``
where the country has none any more, ``(0)`` after the country code) are
tried as alternatives first.
"""

import re

import phonenumbers

# "wew. 12", "wewn. 12", "ext 12", "ext.12", "x12", "#12", ";ext=12", "w. 12"
_EXTENSION = re.compile(
    r"\s*(?:;\s*ext=|#|\b(?:wewn?|ext|extension|tel\.?\s*wewn?)\b\.?|\bx|\bw\.)"
    r"\s*[:.]?\s*\d{1,6}\s*$",
    re.IGNORECASE,
)
_DIGITS_OR_PLUS = re.compile(r"[^\d+]")
_MIN_DIGITS, _MAX_DIGITS = 6, 15


def _candidates(digits, international, country_code):
    """Numbers to try, as (text, region) for phonenumbers.parse, best first."""
    if international:
        yield "+" + digits, None
        # "+48 022 ...": a trunk 0 kept after the country code
        code_length = _country_code_length(digits)
        if code_length and digits[code_length : code_length + 1] == "0":
            yield "+" + digits[:code_length] + digits[code_length + 1 :], None
        return
    if not country_code:
        return
    yield digits, country_code
    if digits.startswith("0"):
        # a legacy trunk 0 where the country dropped it ("022 ..." in Poland)
        yield digits[1:], country_code
    # a country code written without "+" or "00"
    yield "+" + digits, None


def _country_code_length(digits):
    for length in (1, 2, 3):
        if phonenumbers.region_code_for_country_code(int(digits[:length])) != "ZZ":
            return length
    return 0


def normalize_phone(number, country_code=None):
    """Return ``number`` as E.164 (``+48221234567``), or None if it is no number.

    ``country_code`` (ISO 3166 alpha-2, e.g. ``"PL"``) is the country of a
    number written without its international prefix.
    """
    if not number:
        return None
    text = number.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    text = _EXTENSION.sub("", text).replace("(0)", "")
    text = _DIGITS_OR_PLUS.sub("", text)
    international = text.startswith("+") or text.startswith("00")
    digits = text.lstrip("+")
    if digits.startswith("00"):
        digits = digits[2:]
    if "+" in digits or not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS + 1:
        return None
    country_code = (country_code or "").upper() or None
    possible = None
    for candidate, region in _candidates(digits, international, country_code):
        try:
            parsed = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )
        if possible is None and phonenumbers.is_possible_number(parsed):
            possible = parsed
    if possible is None:
        return None
    return phonenumbers.format_number(possible, phonenumbers.PhoneNumberFormat.E164)
