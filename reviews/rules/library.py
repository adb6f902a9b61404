"""The built-in flag rules: what each looks for, why it matters and what to do.

Flags are risks for a person to judge ("needs sign-off"), never findings of
illegality. Each detector is a trigger: general patterns (of imagery, capture,
attack, attribution, hedging, figures, emotive wording) that propose a flag with a
short reason for the editor, or None. Triggers are written for recall; the learned
flag scorer (``scorer.py``) weighs each proposal with its context and keeps it only
when the rule's calibrated probability is high enough.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .context import Document, Sentence
from .triggers import Trigger, words
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


IMAGERY = words(
    r"videos?",
    r"footage",
    r"film(?:s|ed|ing)?",
    r"photo(?:s|graph|graphs|graphed)?",
    r"images?",
    r"pictures?",
    r"broadcasts?",
    r"televised",
    r"paraded?",
    r"parading",
    r"press conferences?",
    r"interview(?:s|ed)?",
    r"recorded",
    r"recordings?",
    r"circulat(?:ing|ed|e|es)",
    r"posted(?: online)?",
    r"shared online",
    r"social media",
    r"livestream(?:ed)?",
    r"clips?",
    r"screenshots?",
    r"cameras?",
    r"on camera",
    r"(?:appear|appears|appeared) (?:in|on)",
)
CAPTIVE = words(
    r"prisoners? of war",
    r"POWs?",
    r"captured",
    r"captives?",
    r"captivity",
    r"captors?",
    r"taken prisoner",
    r"prisoners",
    r"detained (?:soldiers|troops|servicemen|men|fighters)",
    r"custody",
    r"surrender(?:ed|ing)?",
    r"held by",
)
SOLDIER_SPEAKER = re.compile(
    r"he|she|they|one|soldiers?|troops?|(?:military )?personnel|prisoners?|captives?|servicem[ae]n|"
    r"fighters?|conscripts?|one of (?:them|the \w+)",
    re.I,
)
ATTACK = words(
    r"kill(?:s|ed|ing|ings)?",
    r"shoot(?:s|ing|ings)?",
    r"shot(?: at| dead)?",
    r"fir(?:e|ed|es|ing) (?:on|at|upon|into)",
    r"opened fire",
    r"attack(?:s|ed|ing)?",
    r"target(?:s|ed|ing)?",
    r"strik(?:e|es|ing)",
    r"struck",
    r"execut(?:e|ed|es|ing|ion|ions)",
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
    r"tortur(?:e|ed|es|ing)",
    r"abus(?:e|ed|es|ing)",
    r"ill-treat(?:ed|ment|ing)?",
    r"mistreat(?:ed|ment|ing)?",
    r"beat(?:en|ing|ings)?",
    r"died in (?:captivity|custody)",
    r"open(?:ed)? fire",
    r"hit",
    r"violations?",
    r"bruised",
    r"bodies of",
)
_THREAT = re.compile(r"\b(?:threat\w*|threaten\w*|vow\w*|warn\w*|promis\w*) to (?:\w+ )?$", re.I)
PROTECTED = words(
    r"surrender\w*",
    r"hands (?:up|raised|tied)",
    r"raised (?:their |his |her )?hands",
    r"white flags?",
    r"wounded",
    r"injured",
    r"hors de combat",
    r"prisoners? of war",
    r"POWs?",
    r"prisoners",
    r"captivity",
    r"taken prisoner",
    r"captured",
    r"captives?",
    r"after capture",
    r"in custody",
    r"detainees?",
    r"helpless",
    r"unarmed",
    r"incapacitated",
    r"bailing out",
    r"parachuting",
    r"lying (?:on the ground|face down|prone)",
    r"prone",
    r"kneeling",
    r"laid down (?:their |his |her )?(?:weapons|arms)",
    r"(?:bound|blindfolded|handcuffed)",
)
ANAPHOR = words(
    r"them", r"they", r"those", r"one of", r"the soldiers?", r"the men", r"the troops", r"the prisoners"
)
NO_QUARTER = words(
    r"take no prisoners",
    r"no prisoners (?:be|will be|are to be|were to be) taken",
    r"no quarter",
    r"leave no (?:one|survivors?) alive",
    r"take no captives",
    r"(?:kill|shoot|execute) (?:anyone|those|all|everyone) who (?:surrender\w*|gives? up)",
    r"(?:orders?|ordered|instructed|told) to (?:kill|shoot|execute) (?:all |any )?(?:prisoners|captives)",
)
CASUALTY = words(
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
    r"captivity",
    r"missing",
    r"losses",
    r"lost",
    r"surrendered",
    r"surrenders",
    r"death toll",
    r"toll",
    r"POWs?",
    r"eliminated",
    r"destroyed",
    r"servicem[ae]n",
)
ATTRIBUTING = Trigger(
    r"\baccording to\b|(?<!\ban )\b(?:said|says|say|told|tells|stated|states|reported|reports|report|"
    r"claimed|claims|claim|estimates|estimated|announced|confirmed|asserts?|argues|argued|insisted|noted|"
    r"wrote|revealed|cited|shows?|showed|found|alleged|alleges|added|put|puts)\b",
)
VAGUE = words(r"reportedly", r"allegedly", r"purportedly", r"rumou?red")
COMPARISON = Trigger(
    r"\b(?:more|fewer|less|higher|lower)\b[^.]*\bthan\b[^.]*\b(?:1[89]|20)\d\d\b"
    r"|\b(?:highest|lowest|largest|smallest|biggest|most|fewest)\s+(?:numbers?|share|rate|proportion|toll)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine)[- ]in[- ](?:two|three|four|five|ten)\b"
    r"|\b(?:twice|doubled|tripled|halved)\b",
)
ALLEGATION_VERB = words(
    r"alleg(?:e|ed|es|ing|edly|ation|ations)",
    r"claim(?:s|ed|ing)?",
    r"accus(?:e|ed|es|ing|ation|ations)",
    r"said",
    r"says",
    r"told",
    r"according to",
    r"insist(?:s|ed)?",
    r"charg(?:e|ed|es)",
    r"blam(?:e|ed|es)",
    r"den(?:y|ied|ies)",
)
ALLEGATION = words(
    r"attack\w*",
    r"kill\w*",
    r"shoot\w*",
    r"shot",
    r"surrender\w*",
    r"execut\w*",
    r"tortur\w*",
    r"abus\w*",
    r"beat\w*",
    r"drugs?",
    r"narcotics?",
    r"opioids?",
    r"war crimes?",
    r"crimes?",
    r"rap(?:e|ed)",
    r"loot\w*",
    r"deport\w*",
    r"massacre\w*",
    r"strikes?",
    r"fraud\w*",
    r"corrupt\w*",
    r"brib\w*",
    r"falsif\w*",
    r"rigg\w*",
    r"cover(?:ed)?[- ]up",
    r"negligen\w*",
    r"ignor\w*",
    r"fail\w*",
    r"illegal\w*",
    r"unlawful\w*",
    r"violat\w*",
    r"mistreat\w*",
    r"threat\w*",
    r"warned",
    r"responsible for",
)
ANAPHORIC_ORG = Trigger(
    r"\b(?:the|this) (?:project|initiative|ministry|agency|group|organi[sz]ation|campaign|programme|program)"
    r"\b[^.]{0,20}\b(?:said|says|reported|reports|claims|claimed|stated|added)\b",
)
INDEPENDENT = words(
    r"independently",
    r"verified",
    r"red cross",
    r"icrc",
    r"united nations",
    r"UN",
    r"U\.N",
    r"OHCHR",
    r"human rights watch",
    r"amnesty",
    r"reuters",
    r"associated press",
    r"AFP",
)
# Attribution with no name: hedged reporting, agentless passives, unnamed people.
ANONYMOUS = Trigger(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red)\b"
    r"|\breports (?:say|said|suggest|suggested|indicate|have|had)\b"
    r"|^reports (?:from|of|that)\b"
    r"|\b(?:media|press|news|local|unconfirmed) reports\b"
    r"|\bit (?:is|was|has been|had been) (?:reported|claimed|alleged|said|understood|believed|thought|"
    r"rumou?red|suggested)\b"
    r"|\b(?:is|are|was|were|has been|have been) (?:said|believed|thought|understood|reported|alleged|"
    r"claimed|rumou?red|suspected|feared|presumed) to\b"
    r"|\b(?:is|are|was|were) (?:thought|believed|understood)\b"
    r"|\bsources?\b(?: \w+){0,3} (?:say|says|said|told|claim|claimed|suggest|suggested|believe)\b"
    r"|\baccording to (?:\w+ ){0,3}(?:sources|reports|officials|analysts|experts|people|residents|"
    r"witnesses|media|insiders|a source|an official|a person)\b"
    r"|\bunnamed\b|\banonymous\b|\banonymity\b|\boff the record\b"
    r"|\b(?:asked|asking|wished|wanted|agreed|spoke|speaking|declined|refused)\b[^.]{0,30}\b"
    r"(?:named|identified)\b"
    r"|\bnot (?:to )?(?:be )?(?:named|identified|published)\b|\bnot authori[sz]ed to\b"
    r"|\b(?:understands|has learned|has learnt)\b|\brumou?rs?\b|\bsome estimates\b"
    r"|\b(?:credible|unverified|several|multiple|numerous) reports\b"
    r"|\b(?:local|state|social|foreign|western) media (?:report|reported|say|says|said|claim|claimed)\b"
    r"|\b(?:first names?|call signs?|nom de guerre|pseudonyms?)\b"
    r"|\bnot (?:his|her|their) real names?\b|\b(?:name|names) (?:has|have) been changed\b"
    r"|\b(?:people|persons?|sources?) (?:familiar with|close to|briefed on|with knowledge of)\b"
    r"|\b(?:(?:has|have|had)\s+(?:\w+ly\s+)?been|was|were|is|are)\s+(?:\w+ly\s+)?accused\b"
    r"(?!(?:\s+\w+){0,6}\s+by\b)"
    r"|\bit (?:is|was|has been) alleged\b",
)
UNNAMED_SPEAKER = Trigger(
    r"\b(?:officials|sources|analysts|experts|observers|diplomats|insiders|witnesses|residents|"
    r"critics|locals|neighbou?rs|relatives|some|many|others|intelligence|campaigners|activists|"
    r"strategists|scientists|researchers|agencies|media|bloggers|commentators|lawmakers|aides|"
    r"an? (?:\w+ )?(?:unit|official|"
    r"source|officer|resident|witness|spokes(?:man|woman|person)|aide|insider|diplomat)|"
    r"a group of \w+(?: \w+)?|one (?:\w+ ){0,2}?(?:personnel|soldier|officer|official|source|resident|"
    r"witness|aide|researcher|analyst|expert|diplomat|insider|figure|member)|one|military personnel)\b"
    r"(?:\W+\w+){0,4}?\W+"
    r"(?:say|says|said|stated|told|report|reports|reported|describe|describes|described|claim|claims|"
    r"claimed|believe|believes|warn|warned|suggest|suggests|indicate|indicated|argue|argues|argued|"
    r"admit|admits|admitted|concede|concedes|conceded|estimate|estimates|estimated|put|puts|insist|"
    r"insists|insisted|acknowledge|acknowledges|acknowledged)\b",
)
NAMED_SUBJECT = re.compile(r"^[A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)*,")
GRAPHIC = words(
    r"corpses?",
    r"decapitat\w*",
    r"behead\w*",
    r"dismember\w*",
    r"mutilat\w*",
    r"disembowel\w*",
    r"severed",
    r"charred",
    r"blood(?:ied|y|-soaked|-stained|stained)?",
    r"bleeding",
    r"torn apart",
    r"burn(?:ed|t) alive",
    r"shot (?:\w+ ){0,3}(?:in|through) the (?:head|face|chest|neck|back)",
    r"(?:at|from) (?:close|point-blank) range",
    r"point-blank",
    r"execution-style",
    r"gouged",
    r"body parts",
    r"entrails",
    r"brains?",
    r"stab(?:bed|bing)? (?:\w+ )?(?:\d+|\w+) times",
    r"wounds? to (?:the|his|her|their)",
    r"(?:bodies|body|corpses?|remains) (?:\w+ ){0,5}(?:lay|lie|lying|slumped|piled|strewn|scattered|dumped|"
    r"left|found|covered|floating|burned|burnt|mutilated)",
    r"slumped",
    r"electric shocks?",
    r"mock executions?",
    r"broken (?:ribs|bones|limbs|teeth|jaws?)",
    r"(?:crush|gunshot|stab|shrapnel|burn) (?:injuries|wounds)",
    r"lay dead",
    r"lying dead",
)


def _loaded_words() -> Trigger:
    path = Path(__file__).with_name("data") / "loaded_words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return words(*[line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")])


LOADED = _loaded_words()


def attributed(s: Sentence) -> bool:
    return ATTRIBUTING.search(s.text) is not None


_IDIOM = Trigger(r"\bpaints? an? (?:\w+ )?picture\b|\bbig(?:ger)? picture\b")
_FILMED = Trigger(r"\b(?:footage|video|videos|images?|photos?|film) (?:was |were )?captured\b")


def _captive_in(text: str) -> re.Match | None:
    # "footage captured by drones" is filmed, not taken prisoner.
    return CAPTIVE.search(_FILMED.sub(" ", text))


def pow_imagery(s: Sentence, doc: Document) -> str | None:
    imagery = IMAGERY.search(_IDIOM.sub(" ", s.text))
    if imagery:
        captive = _captive_in(s.text)
        if captive:
            doc.state["pow"] = True
            return f"{imagery.group(0)!r} of {captive.group(0)!r} people: images of captives"
        if any(_captive_in(p.text) for p in doc.previous(s, 2)) or (
            s.field == "body" and _captive_in(doc.title)
        ):
            doc.state["pow"] = True
            return f"{imagery.group(0)!r} in a passage about captured soldiers"
        if doc.state.get("pow"):
            return f"{imagery.group(0)!r} in an article about footage of captives"
    if s.direct_speech and doc.state.get("pow"):
        # Words of a captive filmed or presented by the captor carry the same risk.
        if s.speaker:
            doc.state["pow_speaker"] = bool(SOLDIER_SPEAKER.fullmatch(_last_words(s.speaker)))
        if doc.state.get("pow_speaker"):
            return "reproduces what a captive said in captivity"
    if (
        not imagery
        and doc.state.get("pow")
        and s.field == "body"
        and any(IMAGERY.search(p.text) for p in doc.previous(s, 2))
    ):
        captive = _captive_in(s.text) or PROTECTED.search(s.text) or ATTACK.search(s.text)
        if captive:
            return f"{captive.group(0)!r} in a passage describing footage of captives"
        return "in a passage describing footage of captives"
    return None


def _last_words(speaker: str) -> str:
    parts = speaker.split()
    return " ".join(parts[-2:]) if len(parts) > 1 and parts[-2].lower() == "military" else parts[-1]


def pow_personal_data(s: Sentence, doc: Document) -> str | None:
    if not doc.state.get("pow") or not _captive_in(s.text):
        return None
    m = re.search(
        r"\b(?:named|called|identified as|from (?:the (?:town|village|city) of|his home ?town))\b", s.text
    )
    return f"identifies a captive ({m.group(0)!r})" if m else None


def hors_de_combat(s: Sentence, doc: Document) -> str | None:
    text = s.text
    attacks = [text[a:b] for a, b in ATTACK.spans(text) if not _THREAT.search(text[:a][-30:])]
    if not attacks:
        return None
    protected = PROTECTED.search(s.text)
    if protected:
        return f"{attacks[0]!r} against people {protected.group(0)!r}"
    for prev in doc.previous(s, 2):
        m = PROTECTED.search(prev.text)
        if m:
            return f"{attacks[0]!r} against people the passage says were {m.group(0)!r}"
    if s.field == "body":
        m = PROTECTED.search(doc.title)
        if m and ANAPHOR.search(s.text):
            return f"{attacks[0]!r} against people the headline says were {m.group(0)!r}"
    return None


def no_quarter(s: Sentence, doc: Document) -> str | None:
    m = NO_QUARTER.search(s.text)
    return f"order or threat that no prisoners be taken ({m.group(0)!r})" if m else None


def figure(s: Sentence) -> bool:
    """A quantity worth a source: a percentage, a number of 10 or more, or a comparison."""
    for n in s.numbers:
        digits = re.sub(r"[^\d.]", "", n)
        if "%" in n or "percent" in n or "per cent" in n:
            return True
        try:
            if float(digits.rstrip(".") or 0) >= 10:
                return True
        except ValueError:
            continue
    return COMPARISON.search(s.text) is not None


COUNT = words(
    r"\d[\d,.]*",
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|dozens?|hundreds|thousands)",
)


def party_casualty_figure(s: Sentence, doc: Document) -> str | None:
    if not (doc.parties and CASUALTY.search(s.text) and (s.numbers or COUNT.search(s.text))):
        return None
    source = doc.party_source(s.text)
    if source:
        return f"casualty or captive figure from {source!r}, a party to the conflict"
    if attributed(s) and not INDEPENDENT.search(s.text):
        # A figure from the UN, the Red Cross or a news agency is not a party's figure.
        return "casualty or captive figure attributed to a source in a war between named parties"
    return None


def unverified_statistic(s: Sentence, doc: Document) -> str | None:
    if s.cited or not (s.numbers or COMPARISON.search(s.text)) or not figure(s):
        return None
    if VAGUE.search(s.text):
        return "a figure resting on hearsay"
    if attributed(s):
        return "a figure: is its source independent?"
    return "a figure given with no source"


def single_source(s: Sentence, doc: Document) -> str | None:
    if s.direct_speech and not s.own_voice:
        return None
    verb = ALLEGATION_VERB.search(s.text)
    if not verb:
        return None
    allegation = ALLEGATION.search(s.text)
    if not allegation or INDEPENDENT.search(s.text):
        return None  # an independent verifier is a second source
    source = doc.party_source(s.text)
    if source:
        return f"allegation resting on {source!r}, a party to the conflict"
    m = ANAPHORIC_ORG.search(s.text)
    if m:
        return f"allegation resting on one source ({m.group(0)!r})"
    return f"allegation ({allegation.group(0)!r}) resting on what one source {verb.group(0)!r}"


def anonymous_source(s: Sentence, doc: Document) -> str | None:
    own = s.own_voice
    if not own:
        return None
    m = ANONYMOUS.search(own)
    if m:
        return f"unnamed source ({m.group(0).strip()!r})"
    if not NAMED_SUBJECT.match(s.text):
        m = UNNAMED_SPEAKER.search(own)
        if m:
            return f"unnamed source ({m.group(0).strip()!r})"
    return None


def graphic_violence(s: Sentence, doc: Document) -> str | None:
    m = GRAPHIC.search(s.text)
    return f"graphic detail ({m.group(0)!r})" if m else None


def loaded_language(s: Sentence, doc: Document) -> str | None:
    own = s.own_voice
    m = LOADED.search(own) if own else None
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
        on_title=True,  # the headline is the outlet's own voice at its loudest
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
