"""Adversarial texts for checking framescope against the contract."""
import random

HAND = [
    # joiners
    "a--b", "a-b-c", "a- b", "a -b", "-a-", "a-", "-a", "'tis the season", "rock'n'roll", "rock’n’roll",
    "rockʼnʼroll", "ʼs", "ʼʼ", "aʼʼb", "ʼtis", "s's", "'s", "’s alone", "it’s", "it's", "It’S", "IT'S",
    "its's", "x's", "xʼs", "x’s’s", "a's's", "a'ss", "'s's", "ab'S", "U.S.A.", "U.S.A. The end", "U.S. The",
    "1,000,000", "1,a", "a,1", "1,,2", "1, 2", "١,٢", "1,٢", "a,b", "3.14.15", "3..14", "end.", "end-", "end'",
    "a.-b", "a-.b", "a'-b", "a‐b", "a‑b", "a‒b", "a–b", "a—b", "a―b", "a−b", "a⁻b", "a﹣b", "a－b", "a＇b", "a｡b",
    "a．b", "a，b", "1，2", "1٫2", "1٬2", "a·b", "l·l", "a_b", "a/b", "a\u00adb", "co\u00adop\u00aderation",
    "中-a", "a-中", "中.中", "a.中", "中'a", "1,中", "中,1", "a'中",
    "China’s role", "China's", "CHINA’S", "china's's", "countries’", "countries'", "James'", "boss's",
    "doesn't", "don’t", "can't", "cannot", "won't", "n't", "isn’t", "ain't it",
    # NFKC
    "ﬁnancial ﬂow ﬃ ﬀ ﬆ", "ＡＢＣ ｗｏｒｄｓ ＡＢＣ’ｓ", "１２３ ４５", "x² H₂O E=mc²", "½ ¼ ¾ ⅓", "Ⅻ Ⅳ ⅻ ⅰⅱ",
    "① ⑳ ⑴ ⒈ ⒜ 🄀", "㎏ ㎞ ㏂ ㏘ ㍱", "℃ ℉ № ™ ℡ ℻", "ǅ ǆ Ǆ", "ſt ſ", "µ μ Å Å", "ᵃᵇᶜ ª º", "Ⓐⓑ",
    "ｶﾀｶﾅ ﾊﾟ", "ｱｲｳ", "ガ ガ", "㌔ ㍿", "⁰¹²³⁴", "ℌℍ ℝ", "𝐀𝐁𝐂 𝟏𝟐", "ﷺ ﷻ", "ﬀ's", "ｉｔ＇ｓ", "ｉｔ’ｓ",
    "1⁄2 1/2", "⒈. Next", "⒉. Next one", "🄁. Next",
    # case mapping
    "İstanbul İ", "ẞ STRASSE Straße", "ΟΔΟΣ ΟΔΟΣ's", "ΣΑΣ Σ σ ς", "ΑΣ'Α ΑΣ-Α ΑΣ.Α", "Σ's", "ΌΣΟΣ",
    "ǰ ǰ", "ﬃ FFI", "ΐ", "Ω Ω K K", "DŽ Dž dž", "ᾼ ᾳ", "ȺȾ", "Ⱥ's",
    # ideographs and neighbours
    "中国人民", "日本語のテキスト", "カタカナ ひらがな", "ー ゝ ゞ ゠ ・ ヿ", "〆 〇 々 〻", "ㇰ ㇱ ㇿ",
    "ｦ ｧ ｯ ｰ", "ㄅㄆ", "한국어 텍스트", "𠀀𠀁 𪜀 𫝀 𬺰 𮯠 𰀀 𱍊", "𱍋𱍌 𱍐 𲎯", "\U0002ffff\U0002fffe",
    "\U00031350\U00031351", "豈 更", "\ufa6e\ufa6f", "丽 \U0002f800", "㐀 䶵 䶿", "\u9fff\u9ffd",
    "中文, English. 中文。English", "中文abc中文", "abc中文def",
    "\u3000中\u3000文\u3000", "\u303f", "「引用」『二重』", "中国'", "ヴ", "\u3099\u309a",
    "\u3040\u3097\u3098", "\u30ff\u31f0",
    # scripts with marks
    "ภาษาไทย ก็ได้", "العربية مُحَمَّد", "हिन्दी देवनागरी", "עִבְרִית", "ᄀ\u1161\u11a8", "e\u0301 é",
    "\u0301abc", "abc\u0301", "a\u0301-b\u0301", "\u20dd a\u20dd", "ܐܒ", "Ⴀⴀ", "ꭰ Ꭰ",
    # emoji and invisibles
    "👍 ok", "👨‍👩‍👧 family", "a\u200db", "a\u200cb", "a\u200bb", "a\u2060b", "a\ufeffb", "🇨🇳 flag",
    "1️⃣ key", "a\u0300\u200d", "#️⃣", "ok👍ok",
    # whitespace
    "a\u00a0b", "a\u2007b", "a\u202fb", "a\u3000b", "a\u1680b", "a\u180eb", "a\u0085b", "a\u2028b",
    "a\u2029b", "a\x1cb", "a\x1fb", "a\x0bb\x0cc",
    # sentences
    "U.S. The", "U.S.. The", "U.S.! The", "U.S.? The", "Mr. Smith", "mr. smith", "MR. Smith",
    "Mr.. Smith", "Mr.! Smith", "Mr .Smith", "Mr . Smith", "Dr. Who", "St. Paul", "Prof. X", "Jr. Sr. Vs. Ms. Mrs.",
    "vs. them", "Mrs’s. Smith", "Mr's. Smith", "mr’s. x", "e.g. this", "i.e. that", "...", "a... b",
    "a ... b", "a ?! b", "a?!b", "a。b", "a！b", "a？b", "a．b c", "a｡b c", "a\u2024b", "a.\" B", "a.” B",
    "a\n\nb", "a\n \t\r\nb", "a\r\n\r\nb", "a\rb", "a\r\rb", "a\n\rb", "a\nb", "a\n\x0b\nb",
    "a\n\u00a0\nb", "a\u2029b\u2029\u2029c", "a\n\u3000\nb", "a\n\n", "\n\na", "a \n  \n b . c",
    "Dr.\n\nSmith", "U.S.\n\nThe", "a.b. c", "a. .b", "1. 2. 3.", "No. 5", "St.Paul", "St. paul st.",
    "he said ‘yes’. Then", "Yes‽ No", "Yes¿ no ¡ok", "end۔ next", "end। next", "end፧ next",
    # digits / stems
    "running runs ran 30th 1980s covid-19 b2b h2o", "organization international interfering",
    "generously generous generation", "cooperating cooperation cooperative cooperate", "ＣＯＯＰＥＲＡＴＩＯＮ",
    "٣running", "run٣", "running²", "Ⅻrunning", "runningⅫ", "running①", "๓running",
    "dying lying tying", "skies sky skis", "news", "proceeding exceeding succeeding",
    "'quoted' and -dash-", ",comma, .dot.", "  leading and trailing  ", ".", "", " ", "\n", "a",
    # more abbreviations via NFKC / 's
    "Ｍｒ. Smith", "ᴹʳ. Smith", "ᴹᴿ. x", "Mr’s. Smith", "ＵＳ. The", "Ｕ.Ｓ. The", "U．S. The", "St.. x",
    "others other others' others’s", "having had doing does", "thes ands", "Let's go. let’s go",
    "coop＊ coop* ～coop coop﹡", "＊ ﹡",
    # ideograph range boundaries (assigned and unassigned code points), one per document
] + ["a" + chr(c) + "b " + chr(c) + chr(c) + " x" + chr(c) + "-" + chr(c) + "y" for c in (
    0x303F, 0x3040, 0x3041, 0x30FF, 0x3100, 0x31F0, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF,
    0xA000, 0xF8FF, 0xF900, 0xFADA, 0xFAFF, 0xFB00, 0xFF66, 0xFF9E, 0x1FFFF, 0x20000, 0x2A6DF, 0x2A6E0,
    0x2EBF0, 0x3134A, 0x3134B, 0x3134F, 0x31350, 0x323AF, 0x323B0, 0xE0001, 0xFFFF, 0x10FFFD)] + [
    # negation
    "not win-win", "no big win-win", "never a b win-win", "not a b c win-win", "didn’t win-win",
    "NOT win-win", "Not. win-win", "without win-win", "cannot win-win", "nobody win-win",
    "n't win-win", "don't's win-win", "neither nor win-win", "none. win-win",
]

MIXED_ALPHABET = (
    list("aAbBsSzZ019 ") + list(" \n\n\r\t.,'-!?") + ["’", "ʼ", "‐", "‑", "–", "。", "！", "？", "\u00a0",
    "\u200b", "\u200d", "\u00ad", "\u0301", "\u0308", "中", "国", "の", "カ", "ｶ", "ー", "\u3000", "、",
    "ﬁ", "Ａ", "１", "²", "½", "Ⅻ", "①", "⒈", "㎏", "İ", "ẞ", "Σ", "ς", "é", "ß", "٣", "ก", "\u0e34",
    "ع", "\u064e", "क", "\u094d", "א", "\u05b4", "😀", "🇨", "\U00020000", "\U00031350", "ʼ", "\u02b0",
    "…", "\"", "“", "”", "/", "$", "%", "(", ")", "Mr", "U.S.", "St", "no", "not", "n't", "'s", "’s",
    "win", "coop", "run"]
)


def random_texts(n, seed=1234, maxlen=40):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(0, maxlen)
        out.append("".join(rng.choice(MIXED_ALPHABET) for _ in range(k)))
    return out


WORDS = ("win-win cooperation mutual benefit China China’s U.S. Mr. not no never the a of "
         "shared future common destiny security terrorism cooperating cooperative unilateral "
         "multilateral bilateral development developing developed 1,000 中国 合作 it's don't "
         "sovereignty interference internal affairs in . . ! ? \n\n , ; — ‘ ’ “ ” and or").split(" ")


def random_prose(n, seed=99, maxlen=60):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(0, maxlen)
        parts = []
        for _ in range(k):
            w = rng.choice(WORDS)
            if rng.random() < 0.1:
                w = w.upper()
            parts.append(w)
            parts.append(rng.choice([" ", " ", " ", "", "\n", "  "]))
        out.append("".join(parts))
    return out
