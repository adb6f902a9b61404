"""The built-in flag rules: what each looks for, why it matters and what to do.

Flags are risks for a person to judge ("needs sign-off"), never findings of
illegality. Each detector returns a short reason for the editor, or None.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .context import Document, Sentence
from .typos import typo_reason

LEGAL, SOURCING, ACCURACY, ETHICS, STYLE = "legal", "sourcing", "accuracy", "ethics", "style"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    category: str
    severity: str
    reference: str
    guidance: str
    resolver_role: str
    detect: Callable[[Sentence, Document], str | None]
    on_title: bool = False


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


_IMAGERY = _words(
    r"videos?",
    r"footage",
    r"film(?:s|ed|ing)?",
    r"photo(?:s|graph|graphs|graphed)?",
    r"images?",
    r"pictures?",
    r"broadcasts?",
    r"televised",
    r"paraded",
    r"press conferences?",
    r"interview(?:s|ed)?",
    r"recorded",
    r"circulat(?:ing|ed|e)",
    r"posted online",
    r"social media",
    r"livestream(?:ed)?",
    r"clips?",
    r"screenshots?",
)
_CAPTIVE = _words(
    r"prisoners? of war",
    r"POWs?",
    r"captured",
    r"captives?",
    r"in captivity",
    r"taken prisoner",
    r"military prisoners",
    r"detained (?:soldiers|troops|servicemen)",
    r"custody",
)
_SOLDIER_SPEAKER = _words(
    r"he",
    r"she",
    r"they",
    r"one",
    r"soldiers?",
    r"troops?",
    r"(?:military )?personnel",
    r"prisoners?",
    r"captives?",
    r"servicem[ae]n",
    r"fighters?",
    r"conscripts?",
    r"one of (?:them|the \w+)",
)
_ATTACK = _words(
    r"kill(?:s|ed|ing)?",
    r"shoot(?:s|ing)?",
    r"shot(?: at)?",
    r"fired? (?:on|at|upon)",
    r"opened fire",
    r"attack(?:s|ed|ing)?",
    r"target(?:s|ed|ing)?",
    r"strik(?:e|es|ing)",
    r"struck",
    r"executed?",
    r"executions?",
    r"finish(?:ed)? off",
    r"bomb(?:ed|ing)",
    r"murder(?:s|ed|ing)?",
    r"slaughter(?:s|ed)?",
    r"deadly force",
    r"lethal force",
    r"gunned down",
    r"mowed down",
    r"did not spare",
    r"spared no",
)
_THREAT = re.compile(r"\b(?:threat\w*|threaten\w*|vow\w*|warn\w*|promis\w*) to (?:\w+ )?$", re.I)
_PROTECTED = _words(
    r"surrender\w*",
    r"hands (?:up|raised)",
    r"raised (?:their |his |her )?hands",
    r"white flags?",
    r"wounded",
    r"injured",
    r"hors de combat",
    r"prisoners? of war",
    r"POWs?",
    r"in captivity",
    r"taken prisoner",
    r"captives?",
    r"helpless",
    r"unarmed (?:soldiers|troops|men)",
    r"incapacitated",
    r"bailing out",
    r"parachuting",
)
_ANAPHOR = _words(r"them", r"they", r"those", r"one of", r"the soldiers?", r"the men", r"the troops")
_NO_QUARTER = _words(
    r"take no prisoners",
    r"no prisoners (?:be|will be|are to be|were to be) taken",
    r"no quarter",
    r"leave no (?:one|survivors?) alive",
    r"take no captives",
    r"(?:kill|shoot|execute) (?:anyone|those|all|everyone) who (?:surrender\w*|gives? up)",
    r"(?:orders?|ordered|instructed|told) to (?:kill|shoot|execute) (?:all |any )?(?:prisoners|captives)",
)
_CASUALTY = _words(
    r"killed",
    r"dead",
    r"deaths?",
    r"died",
    r"wounded",
    r"injured",
    r"casualt(?:y|ies)",
    r"captured",
    r"taken prisoner",
    r"prisoners",
    r"missing",
    r"losses",
    r"lost",
    r"surrendered",
    r"surrenders",
    r"death toll",
    r"POWs?",
    r"eliminated",
    r"servicem[ae]n",
)
_ATTRIBUTING = re.compile(
    r"\baccording to\b|(?<!\ban )\b(?:said|says|say|told|tells|stated|states|reported|reports|report|"
    r"claimed|claims|claim|estimates|announced|confirmed|asserts?|argues|argued|insisted|noted|wrote|"
    r"revealed|cited|shows?|showed|found)\b",
    re.I,
)
_VAGUE = re.compile(r"\b(?:reportedly|allegedly|purportedly|rumou?red)\b", re.I)
_COMPARISON = re.compile(
    r"\b(?:more|fewer|less|higher|lower)\b[^.]*\bthan\b[^.]*\b(?:1[89]|20)\d\d\b"
    r"|\b(?:highest|lowest|largest|smallest|biggest|most|fewest)\s+(?:numbers?|share|rate|proportion|toll)\b"
    r"|\b(?:one|two|three)[- ]in[- ](?:two|three|four|five|ten)\b",
    re.I,
)
_ALLEGATION = _words(
    r"attack\w*",
    r"kill\w*",
    r"shoot\w*",
    r"shot",
    r"surrender\w*",
    r"execut\w*",
    r"tortur\w*",
    r"abus\w*",
    r"drugs?",
    r"narcotics?",
    r"opioids?",
    r"war crimes?",
    r"rap(?:e|ed)",
    r"loot\w*",
    r"deport\w*",
    r"massacre\w*",
    r"strikes?",
)
_ANAPHORIC_ORG = re.compile(
    r"\b(?:the|this) (?:project|initiative|ministry|agency|group|organi[sz]ation|campaign|programme|program)"
    r"\b"
    r"[^.]{0,20}\b(?:said|says|reported|reports|claims|claimed|stated|added)\b",
    re.I,
)
_INDEPENDENT = _words(
    r"independently",
    r"verified",
    r"red cross",
    r"icrc",
    r"united nations",
    r"\bUN\b",
    r"OHCHR",
    r"human rights watch",
    r"amnesty",
    r"reuters",
    r"associated press",
    r"AFP",
)
_ANONYMOUS = re.compile(
    r"\breportedly\b|\ballegedly\b|\breports (?:say|said|suggest|suggested|indicate|have|had)\b"
    r"|^reports (?:from|of|that)\b|\bit (?:is|was|has been) (?:reported|claimed|alleged|said)\b"
    r"|\bsources (?:say|said|told|claim)\b"
    r"|\baccording to (?:\w+ ){0,2}(?:sources|reports|officials|analysts|experts)\b"
    r"|\bunnamed\b|\banonymous (?:source|official)s?\b|\bon condition of anonymity\b"
    r"|\b(?:(?:has|have|had)\s+(?:\w+ly\s+)?been|was|were)\s+(?:\w+ly\s+)?accused\b(?!(?:\s+\w+){0,6}\s+by\b)",
    re.I,
)
_UNNAMED_SPEAKER = re.compile(
    r"\b(?:officials|sources|analysts|experts|observers|diplomats|insiders|witnesses|residents|"
    r"intelligence|an? (?:\w+ )?unit|a group of \w+(?: \w+)?|one (?:military )?(?:personnel|soldier|"
    r"officer|official|source|resident|witness)|military personnel)\b(?:\W+\w+){0,4}?\W+"
    r"(?:say|says|said|stated|told|report|reports|reported|describe|describes|described|claim|claims|"
    r"claimed|believe|believes|warn|warned|suggest|suggests|indicate|indicated)\b",
    re.I,
)
_NAMED_SUBJECT = re.compile(r"^[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)*,")
_GRAPHIC = _words(
    r"corpses?",
    r"decapitat\w*",
    r"behead\w*",
    r"dismember\w*",
    r"mutilat\w*",
    r"disembowel\w*",
    r"severed (?:heads?|limbs?|hands?|legs?|arms?)",
    r"charred (?:bodies|remains|corpses?)",
    r"pools? of blood",
    r"covered in blood",
    r"blood-soaked",
    r"torn apart",
    r"burned alive",
    r"burnt alive",
    r"shot in the head",
    r"execution-style",
    r"gouged",
    r"body parts",
    r"entrails",
    r"brains? (?:matter|splattered)",
    r"bodies (?:lay|lying|piled|strewn|scattered)",
)
_LOADED = _words(
    r"propaganda",
    r"catastrophic",
    r"regimes?",
    r"terrorists?",
    r"thugs?",
    r"butcher(?:s|ed|ing)?",
    r"massacred?",
    r"slaughter(?:s|ed)?",
    r"hordes?",
    r"barbaric",
    r"savages?",
    r"bloodthirsty",
    r"genocidal",
    r"puppets?",
    r"monstrous",
    r"heinous",
    r"despicable",
    r"cowardly",
    r"evil",
    r"meat grinder",
    r"cannon fodder",
    r"so-called",
    r"orcs",
    r"rashists",
    r"(?:acute|growing|total|complete|utter)\s+(?:\w+\s+)?collapse",
)


def _gate(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words without which a rule's patterns cannot match: checked first, as set lookups.
G_IMAGERY = _gate(
    "video videos footage film films filmed filming photo photos photograph photographs photographed "
    "image images picture pictures broadcast broadcasts televised paraded press interview interviews "
    "interviewed circulating circulated circulate livestream livestreamed clip "
    "clips screenshot screenshots"
)
G_CAPTIVE = _gate("prisoner prisoners pow pows captured captive captives captivity custody detained")
G_ATTACK = _gate(
    "kill kills killed killing shoot shoots shooting shot fire fired fires opened attack attacks attacked "
    "attacking target targets targeted targeting strike strikes striking struck execute executed "
    "execution executions finish finished bombed bombing murder murders murdered murdering slaughter "
    "slaughtered slaughters deadly lethal gunned mowed spare spared"
)
G_NO_QUARTER = _gate(
    "prisoners prisoner quarter alive captives surrender surrenders surrendered surrendering"
)
G_CASUALTY = _gate(
    "killed dead death deaths died wounded injured casualty casualties captured prisoner prisoners missing "
    "losses lost surrendered surrenders toll pow pows eliminated servicemen serviceman"
)
G_ATTRIBUTING = _gate(
    "according said says say told tells stated states reported reports report claimed claims claim "
    "estimates announced confirmed assert asserts argues argued insisted noted wrote revealed cited show "
    "shows showed found"
)
G_COMPARISON = _gate("than highest lowest largest smallest biggest most fewest in")
G_ALLEGATION = _gate(
    "attack attacks attacked attacking kill kills killed killing shoot shoots shooting shot surrender "
    "surrenders surrendered surrendering execute executed execution executions torture tortured "
    "torturing abuse abused abuses abusing drug drugs narcotic narcotics opioid opioids war rape raped "
    "loot looted looting deport deported deportation deportations massacre massacred massacres strike "
    "strikes"
)
G_ANONYMOUS = _gate(
    "reportedly allegedly reports reported sources according unnamed anonymous anonymity accused "
    "officials analysts experts observers diplomats insiders witnesses residents intelligence unit group "
    "personnel soldier officer official source resident witness"
)
G_GRAPHIC = _gate(
    "corpse corpses decapitated decapitation beheaded beheading dismembered mutilated mutilation "
    "disembowelled disemboweled severed charred pool pools covered blood torn burned burnt head "
    "execution gouged body entrails brain brains bodies"
)
G_LOADED = _gate(
    "propaganda catastrophic regime regimes terrorist terrorists thug thugs butcher butchers butchered "
    "butchering massacre massacred slaughter slaughtered slaughters horde hordes barbaric savage savages "
    "bloodthirsty genocidal puppet puppets monstrous heinous despicable cowardly evil meat cannon called "
    "orcs rashists collapse"
)


def _attributed(s: Sentence) -> bool:
    return s.has(G_ATTRIBUTING) and bool(_ATTRIBUTING.search(s.text))


_IDIOM = re.compile(r"\bpaints? an? (?:\w+ )?picture\b|\bbig(?:ger)? picture\b", re.I)
_FILMED = re.compile(r"\b(?:footage|video|videos|images?|photos?|film) (?:was |were )?captured\b", re.I)


def pow_imagery(s: Sentence, doc: Document) -> str | None:
    imagery = _IMAGERY.search(_IDIOM.sub(" ", s.text)) if s.has(G_IMAGERY) else None
    if imagery:
        # "footage captured by drones" is filmed, not taken prisoner.
        captive = _CAPTIVE.search(_FILMED.sub(" ", s.text)) if s.has(G_CAPTIVE) else None
        if captive:
            doc.state["pow"] = True
            return f"{imagery.group(0)!r} of {captive.group(0)!r} people: images of captives"
        if any(p.has(G_CAPTIVE) and _CAPTIVE.search(p.text) for p in doc.previous(s, 2)):
            doc.state["pow"] = True
            return f"{imagery.group(0)!r} in a passage about captured soldiers"
    if s.direct_speech and doc.state.get("pow"):
        # Words of a captive filmed or presented by the captor carry the same risk.
        if s.speaker:
            doc.state["pow_speaker"] = bool(_SOLDIER_SPEAKER.fullmatch(_last_words(s.speaker)))
        if doc.state.get("pow_speaker"):
            return "reproduces what a captive said in captivity"
    return None


def _last_words(speaker: str) -> str:
    words = speaker.split()
    return " ".join(words[-2:]) if len(words) > 1 and words[-2].lower() == "military" else words[-1]


def pow_personal_data(s: Sentence, doc: Document) -> str | None:
    if not doc.state.get("pow") or not s.has(G_CAPTIVE) or not _CAPTIVE.search(s.text):
        return None
    m = re.search(
        r"\b(?:named|called|identified as|from (?:the (?:town|village|city) of|his home ?town))\b", s.text
    )
    return f"identifies a captive ({m.group(0)!r})" if m else None


def hors_de_combat(s: Sentence, doc: Document) -> str | None:
    if not s.has(G_ATTACK):
        return None
    attacks = [a for a in _ATTACK.finditer(s.text) if not _THREAT.search(s.text[: a.start()][-30:])]
    if not attacks:
        return None
    protected = _PROTECTED.search(s.text)
    if protected:
        return f"{attacks[0].group(0)!r} against people {protected.group(0)!r}"
    if _ANAPHOR.search(s.text):
        for prev in doc.previous(s, 1):
            m = _PROTECTED.search(prev.text)
            if m:
                return f"{attacks[0].group(0)!r} against people the passage says were {m.group(0)!r}"
    return None


def no_quarter(s: Sentence, doc: Document) -> str | None:
    m = _NO_QUARTER.search(s.text) if s.has(G_NO_QUARTER) else None
    return f"order or threat that no prisoners be taken ({m.group(0)!r})" if m else None


def _figure(s: Sentence) -> bool:
    for n in s.numbers:
        digits = re.sub(r"[^\d.]", "", n)
        if "%" in n or "percent" in n or "per cent" in n:
            return True
        try:
            if float(digits.rstrip(".") or 0) >= 10:
                return True
        except ValueError:
            continue
    return s.has(G_COMPARISON) and bool(_COMPARISON.search(s.text))


def party_casualty_figure(s: Sentence, doc: Document) -> str | None:
    if not (s.numbers and doc.parties and s.has(G_CASUALTY) and _attributed(s) and _CASUALTY.search(s.text)):
        return None
    source = doc.party_source(s.text)
    return f"casualty or captive figure from {source!r}, a party to the conflict" if source else None


def unverified_statistic(s: Sentence, doc: Document) -> str | None:
    if s.direct_speech or s.cited or not (s.numbers or s.has(G_COMPARISON)):
        return None
    if _attributed(s) or _VAGUE.search(s.text) or not _figure(s):
        return None
    return "a figure given with no source"


def single_source(s: Sentence, doc: Document) -> str | None:
    if s.direct_speech or not s.has(G_ALLEGATION) or not _attributed(s) or _INDEPENDENT.search(s.text):
        return None
    if party_casualty_figure(s, doc) or anonymous_source(s, doc):
        return None  # the more specific flag says it
    source = doc.party_source(s.text)
    if source:
        return f"allegation resting on {source!r}, a party to the conflict"
    m = _ANAPHORIC_ORG.search(s.text)
    if m and doc.parties:
        return f"allegation resting on one source ({m.group(0)!r})"
    return None


def anonymous_source(s: Sentence, doc: Document) -> str | None:
    own = s.own_voice
    if not own or not s.has(G_ANONYMOUS):
        return None
    m = _ANONYMOUS.search(own)
    if m:
        return f"unnamed source ({m.group(0).strip()!r})"
    if not _NAMED_SUBJECT.match(s.text):
        m = _UNNAMED_SPEAKER.search(own)
        if m:
            return f"unnamed source ({m.group(0).strip()!r})"
    return None


def graphic_violence(s: Sentence, doc: Document) -> str | None:
    m = _GRAPHIC.search(s.text) if s.has(G_GRAPHIC) else None
    return f"graphic detail ({m.group(0)!r})" if m else None


def loaded_language(s: Sentence, doc: Document) -> str | None:
    m = _LOADED.search(s.own_voice) if s.has(G_LOADED) and s.own_voice else None
    return f"loaded wording in the outlet's own voice ({m.group(0)!r})" if m else None


def typo(s: Sentence, doc: Document) -> str | None:
    return typo_reason(s, doc)


GENEVA_POW = (
    "Geneva Convention III (1949), Art. 13(2) (prisoners of war must be protected against insults and "
    "public curiosity) and Art. 14 (respect for their persons and honour); ICRC, Commentary on the Third "
    "Geneva Convention (2020), Art. 13; UK Government and British Red Cross, 'Protecting prisoners of "
    "war: images in the media' (2007)."
)

RULES: tuple[Rule, ...] = (
    Rule(
        "pow_imagery",
        "Images or words of prisoners of war",
        LEGAL,
        "legal",
        GENEVA_POW,
        "Do not publish identifiable or humiliating images of prisoners of war or captured soldiers, or "
        "their statements made in captivity. Blur faces, insignia, names and voices; prefer describing "
        "footage to showing it. Record the public-interest justification, and have a legal reviewer sign "
        "off before publication.",
        "legal",
        pow_imagery,
        on_title=True,
    ),
    Rule(
        "pow_personal_data",
        "Personal details of identified captives",
        LEGAL,
        "legal",
        GENEVA_POW + " GC III Art. 17 (information a prisoner must give) and Art. 122–123 (information "
        "goes to the ICRC Central Tracing Agency, not the public).",
        "Remove names, units, home towns and family details that identify a captive unless they are "
        "already public with consent; a legal reviewer signs off.",
        "legal",
        pow_personal_data,
    ),
    Rule(
        "hors_de_combat",
        "Attack on people surrendering, wounded or captured",
        LEGAL,
        "legal",
        "Additional Protocol I (1977), Art. 41 (safeguard of an enemy hors de combat) and Art. 85(3)(e) "
        "(grave breach); Hague Regulations (1907), Art. 23(c); ICRC Customary IHL Rule 47.",
        "Report the allegation as an allegation: attribute it, say who has not verified it, seek the "
        "accused side's response and independent confirmation (footage geolocated, second source). Avoid "
        "stating a war crime as fact; legal reviewer signs off.",
        "legal",
        hors_de_combat,
        on_title=True,
    ),
    Rule(
        "no_quarter",
        "Order or threat to take no prisoners",
        LEGAL,
        "legal",
        "Additional Protocol I (1977), Art. 40 (quarter); Hague Regulations (1907), Art. 23(d); ICRC "
        "Customary IHL Rule 46.",
        "Attribute the order or threat precisely (who, to whom, evidence); do not amplify it as fact; "
        "legal reviewer signs off.",
        "legal",
        no_quarter,
        on_title=True,
    ),
    Rule(
        "party_casualty_figure",
        "Casualty or captive figure from a party to the conflict",
        SOURCING,
        "high",
        "Reuters Handbook of Journalism, 'Casualty figures'; BBC Editorial Guidelines 11 (War, Terror and "
        "Emergencies) on attribution of figures; AP Stylebook on casualty counts.",
        "Attribute the figure to the party in the same sentence, say it has not been independently "
        "verified, and give other sides' or independent figures where they exist.",
        "editor",
        party_casualty_figure,
    ),
    Rule(
        "unverified_statistic",
        "Figure with no source",
        ACCURACY,
        "medium",
        "SPJ Code of Ethics, 'Seek truth and report it' (identify sources); BBC Editorial Guidelines 3 "
        "(Accuracy) on statistics.",
        "Name the source of the figure in the sentence, or check it against the primary data before "
        "publication; cut it if it cannot be sourced.",
        "editor",
        unverified_statistic,
    ),
    Rule(
        "single_source",
        "Allegation resting on a single interested source",
        SOURCING,
        "medium",
        "BBC Editorial Guidelines 3.3 (corroboration); Reuters Handbook, 'Sourcing'; AP Statement of "
        "News Values on two-source confirmation.",
        "Seek a second, independent source; say plainly that the claim comes only from one side; ask the "
        "accused party for a response.",
        "editor",
        single_source,
    ),
    Rule(
        "anonymous_source",
        "Unnamed or vague source",
        SOURCING,
        "low",
        "AP Statement of News Values and Principles on anonymous sources; BBC Editorial Guidelines 7 "
        "(anonymity); SPJ Code of Ethics ('consider sources' motives').",
        "Name the source, or describe them as precisely as possible and say why they are not named; "
        "replace 'reportedly' and agentless 'has been accused' with who reported or accused.",
        "editor",
        anonymous_source,
    ),
    Rule(
        "graphic_violence",
        "Graphic description of violence",
        ETHICS,
        "medium",
        "BBC Editorial Guidelines 11.3 (graphic material); IPSO Editors' Code, Clause 4 (intrusion into "
        "grief or shock); Ofcom Broadcasting Code, Section 1 and 2 (harm and offence).",
        "Keep only detail needed to understand the story; warn readers; never show identifiable dead or "
        "wounded without justification.",
        "editor",
        graphic_violence,
    ),
    Rule(
        "loaded_language",
        "Loaded wording in the outlet's own voice",
        STYLE,
        "low",
        "BBC Editorial Guidelines 4 (Impartiality) on language; Reuters Handbook, 'Neutral language'; AP "
        "Stylebook on terrorism and loaded terms.",
        "Use neutral words in the outlet's own voice; keep emotive terms only inside attributed quotes.",
        "editor",
        loaded_language,
    ),
    Rule(
        "typo",
        "Spelling, grammar or scrape damage",
        STYLE,
        "info",
        "House style guide.",
        "Correct the spelling, capitalisation or spacing before publication.",
        "editor",
        typo,
        on_title=True,
    ),
)


def _across_articles(sentence: Sentence, document: Document) -> str | None:
    return None  # raised by claim matching, which compares claims across articles


# Rules whose detection needs other articles: their flags come from claim matching.
CROSS_ARTICLE_RULES: tuple[Rule, ...] = (
    Rule(
        "conflicting_figures",
        "Figures conflict with another article",
        ACCURACY,
        "medium",
        "SPJ Code of Ethics: 'Take responsibility for the accuracy of their work. Verify information "
        "before releasing it.' IPSO Editors' Code, clause 1 (Accuracy).",
        "A similar claim elsewhere states a different quantity for what looks like the same thing. "
        "Check which figure is right, and for which date and source; say so in the copy if the "
        "figures differ because they measure different things or periods.",
        "editor",
        _across_articles,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in (*RULES, *CROSS_ARTICLE_RULES)}
