"""Who a document names, and as what: the role each person holds on it.

A name on a page is not a claim to a role: a deed of "cese y nombramiento" names
the outgoing administrator too, a power names its grantor, a certificate its
registrar.  The role of one mention of a person is given by the nearest *cue*
that governs it, in reading order:

* a cue that points forward ("a favor de", "nombramiento de", "cese de",
  "autoriza a", "ante mí") governs the name that follows it;
* a cue that points back ("cesa", "otorga", "(el mandatario)", "Notario",
  "Registrador", a table's role column) governs the name before it;
* the search stops at another person (an identifier or a titled name that is not
  this person's), and at most ``BACK_WORDS`` / ``AHEAD_WORDS`` words away; a cue
  in a heading line counts farther away (it introduces a section, not a name);
* words on the same printed row (a table) are searched too when reading order
  gives no cue: OCR may read a table column by column;
* a grant that announces a list ("a favor de las personas que a continuación se
  relacionan: ...") governs the names listed under it, up to the list's end (a
  sentence's end or a heading), when no nearer cue speaks of them.

The nearest cue wins; at equal distance the longer one does (``revoca el poder
conferido a favor de`` over ``a favor de``).  Both Spanish and Catalan phrasings
(and the English of translated documents) are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import HONORIFIC_WORD, starts_with_date
from .results import Word
from .textindex import PageIndex, fold

APPOINTED, GRANTOR, OUTGOING, NOTARY, REGISTRAR, WITNESS, OTHER = (
    "appointed",
    "grantor",
    "outgoing",
    "notary",
    "registrar",
    "witness",
    "other",
)

BACK_WORDS = 40  # how far before a name a forward-pointing cue may stand
AHEAD_WORDS = 18  # how far after a name (or its identifier) a backward-pointing cue may stand
HEADING_PENALTY = 12  # extra distance for a cue in a heading line
WEAK_PENALTY = 6  # extra distance for weak cues ("comparece")
#: a notary, registrar or witness cue names the words right next to it, not a paragraph away
NEAR_ROLES_GAP = 3

_ROLE_WORDS = (
    r"(?:administrador(?:a)?(?: unic[oa]| solidari[oa]| mancomunad[oa])?|consejer[oa](?: delegad[oa])?|"
    r"apoderad[oa]|apoderat|gerente|presidente|presidenta|president|secretari[oa]|adm\.? unico)"
)

# (pattern over folded text, role, direction, weak[, max gap in words]).  direction "fwd": governs the
# name after it; "back": governs the name before it; "both": a label either side (tables, "Apoderado: X").
#: a charge that represents the company, named between a cue and its holder ("cesar ... al Administrador Único don
#: X", "Situación actual: Administrador Único, X"), folded
_CHARGE = (
    r"(?:administrador(?:a)?(?: unic[oa]| solidari[oa]| mancomunad[oa])?|consejer[oa] delegad[oa]|"
    r"conseller(?:a)? delegat|conseller(?:a)? delegada|apoderad[oa]|apoderat|apoderada)"
)
_CUES: list[tuple] = [
    # -- outgoing (checked first: at equal distance the longer cue wins, and revocations are long)
    (
        r"revoca(?:r|n|cion|cio|do|da)?\b[a-z ,'.]{0,60}?(?:conferid[oa]s?|otorgad[oa]s?|atorgats?|concedid[oa]s?)"
        r"\s+(?:a favor de|a favor d'|en favor de|a)\b",
        OUTGOING,
        "fwd",
        False,
    ),
    (r"\brevoca(?:r|n|cion(?: de)?|cio(?: de)?)?\b(?: (?:a|al|del?|els?|los))?", OUTGOING, "fwd", False),
    (r"\bcese(?:s)?(?: (?:de|del|como|en el cargo de))?", OUTGOING, "fwd", False),
    (r"\bcesar a\b", OUTGOING, "fwd", False),
    (r"\bcessaments?(?: (?:de|del|d'|com a))?", OUTGOING, "fwd", False),
    (r"\bcessar a\b", OUTGOING, "fwd", False),
    (r"\bdimision(?:es)?(?: de| del)?", OUTGOING, "fwd", False),
    (r"\bdimissio(?:ns)?(?: de| del)?", OUTGOING, "fwd", False),
    (r"\bdestitucion de\b|\bdestitucio de\b|\bbaja de\b|\bbaixa de\b", OUTGOING, "fwd", False),
    (
        r"\ben su(?:b)?stitucion de\b|\ben substitucio de\b|\bsu(?:b)?stituye a\b|\bsubstitueix\b",
        OUTGOING,
        "fwd",
        False,
    ),
    (r"\banterior administrador(?:a)?(?: unic[oa])?,?(?: (?:d|don|dona|sr|sra|dna))?", OUTGOING, "fwd", False),
    (r"\b(?:que )?(?:cesa|cessa|dimite|dimiteix|cesan|cessen)\b", OUTGOING, "back", False),
    # the verb before its subject: "Que cessa com a administrador únic la senyora ...", "Cesar en su cargo ... a D."
    (
        r"\b(?:que )?(?:cesa|cessa|dimite|dimiteix|cesar|cessar)\b(?: (?:en su cargo|en el seu carrec|en el cargo|en el carrec|del cargo|del carrec))?"
        r"(?:(?: (?:como|com a|de) [a-z' ]{0,45}?)? (?:a|al|el senor|la senora|el senyor|la senyora|don|dona|dna|d|el sr|la sra))?"
        # the charge between: "cesar en su cargo al Administrador Único don José Luis ..."
        rf"(?: {_CHARGE}(?: (?:don|dona|dna|d|el senor|la senora|el senyor|la senyora|el sr|la sra))?)?"
        r"(?=[ .])",
        OUTGOING,
        "fwd",
        False,
        3,
    ),
    (
        r"\b(?:cesantes?|salientes?|sortints?|cessa(?:t|da|ts|des)|cesad[oa]s?|revocad[oa]s?|revocat|revocada|"
        r"dimisionari[oa]s?)\b",
        OUTGOING,
        "both",
        False,
    ),
    # -- appointed / empowered / mandatary
    (r"\ba favor (?:de|d'|del)(?: (?:la senora|el senor|la senyora|el senyor|don|dona))?", APPOINTED, "fwd", False),
    (r"\ben favor (?:de|d'|del)\b", APPOINTED, "fwd", False),
    (r"\bnombramiento(?:s)?(?: como [a-z ]{0,45}?)?(?: (?:de|del|a favor de|a))?", APPOINTED, "fwd", False),
    (r"\bnomenament(?:s)?(?: com a [a-z ]{0,45}?)?(?: (?:de|del|d'))?", APPOINTED, "fwd", False),
    (
        r"\b(?:se )?(?:nombra(?:r)?|designa(?:r)?|nomena(?:r)?|nomenen|nombran|nombro|nombraron|designo|designaron|"
        r"(?:va|van) nomenar|(?:va|van) designar)\b(?: (?:como|com a) [a-z ]{0,40}?)?(?: a| al)?",
        APPOINTED,
        "fwd",
        False,
    ),
    (r"\bdesignacion de\b|\bdesignacio de\b", APPOINTED, "fwd", False),
    # a register's statement of who holds the charge now: "Situación actual: Administrador Único, Yusuf El Amrani."
    (
        rf"\b(?:situacion actual|situacio actual|cargos? vigentes?|carrecs? vigents?)\s*:\s*(?:{_CHARGE}\b,?)?",
        APPOINTED,
        "fwd",
        False,
        3,
    ),
    # a resolution's infinitive naming the person right after it ("«Facultar a doña X, con DNI ..."), not the
    # board's own officer it lets sign ("facultar a la Presidenta para firmar el mandato")
    (
        r"\b(?:facultar|apoderar|autorizar|autoritzar)\b"
        r"(?! (?:a |al |la |el |a la )?(?:president[ea]?|presidenta|secretari[oa]?|vocal|tresorer[a]?|tesorer[oa])\b)"
        r"(?: a| al)?",
        APPOINTED,
        "fwd",
        False,
        3,
    ),
    (
        r"\b(?:autoriza|autoritza|autorizan|autoritzen|autorizo|autoritzo|autorizamos|autoritzem|faculta|apodera|apoderan|"
        r"confiere poder a|confiere a|"
        r"atorga poders? a|otorga poder a|delega en)\b(?: a)?",
        APPOINTED,
        "fwd",
        False,
    ),
    (r"\b(?:nuev[oa]|nou|nova) administrador(?:a)?(?: unic[oa])?", APPOINTED, "fwd", False),
    (r"\bcargos? vigentes?\b|\bcarrecs? vigents?\b", APPOINTED, "fwd", False),
    (r"\b(?:vigente|vigent|en vigor|actual)\b", APPOINTED, "back", False),
    (r"\b(?:in favour of|appoints|appointment of|grants? (?:a )?power of attorney to)\b", APPOINTED, "fwd", False),
    # a grant of power with its adjectives between: "confiere poder general y especial a D. X"
    (
        r"\b(?:confiere|otorga|atorga|concede|confereix|otorgan|atorguen) (?:un |el )?(?:poder|poderes|poders)"
        r"(?:,? (?!a\b|al\b)[a-z]+){0,4},? (?:a favor de|a favor d'|en favor de|a|al)\b(?= )",
        APPOINTED,
        "fwd",
        False,
        3,
    ),
    (
        r"\b(?:reeleg\w*|reelecci\w*|reelegi\w*|renueva el cargo de|renovacion del cargo de|renovacio del carrec de)\b",
        APPOINTED,
        "fwd",
        False,
    ),
    (
        r"\b(?:encarga a|encarrega a|encomienda a|encomana a|confia a|delega en|delegar en|"
        r"(?:otorga|atorga|confiere|confereix) (?:el |un )?(?:mandato|mandat) (?:a|al|a la|a l')|"
        r"mandato a favor de|mandat a favor de)\b(?: (?:senor|senora|senyor|senyora|don|dona))?",
        APPOINTED,
        "fwd",
        False,
    ),
    # the passive: "queda facultado para ...", "resta apoderada", "resulta nombrado", "són nomenats"
    (
        r"\b(?:queda|quedan|queden|resta|resten|resulta|resulten|son) (?:facultad[oa]s?|facultats?|facultada|facultades|"
        r"apoderad[oa]s?|apoderats?|apoderades|autorizad[oa]s?|autoritzats?|autoritzada|autoritzades|nombrad[oa]s?|"
        r"designad[oa]s?|designats?|designada|designades|nomenats?|nomenada|nomenades)\b",
        APPOINTED,
        "back",
        False,
    ),
    (
        r"\b(?:fecha de nombramiento|data de nomenament|nombrad[oa] (?:el|en fecha)|nomenat el)\b",
        APPOINTED,
        "back",
        False,
    ),
    (
        r"\b(?:mandataria|apoderada designada|representante designad[oa]|nuev[oa] representante|nou representant|"
        r"nova representant|representante autorizad[oa]|representant autoritzad[ao]|representant autoritzat|"
        r"persona autorizada|persona autoritzada)\b",
        APPOINTED,
        "both",
        False,
    ),
    (
        r"\b(?:apoderad[oa]s?(?:[/|il1][ao]s?)?|apoderats?|apoderades|mandatari[oa]s?|mandataris?|attorney(?:-in-fact)?|mandatary)\b",
        APPOINTED,
        "both",
        False,
    ),
    # the grant's purpose clause after a list of attorneys: "..., para que solidariamente cualquiera de ellos ..."
    (
        r"\b(?:para que|perque|per tal que),?(?: (?:cualquiera|cada uno|dos cualesquiera|qualsevol|cadascun|dos qualssevol|"
        r"ambos|tots dos)(?: de ellos| d'ells)?,?)? (?:mancomunada|solidaria|indistinta|conjunta)ment[e]?\b",
        APPOINTED,
        "back",
        False,
    ),
    # a contract's definition of a party: "..., en adelante EL ADMINISTRADOR", "en endavant, la gestora"
    (
        r"\b(?:en adelante|en lo sucesivo|en endavant|d'ara endavant),? (?:el|la|l') ?(?:administrador(?:a)?|mandatari[oa]|"
        r"gestor(?:a)?|representante|representant|apoderad[oa]|apoderat)\b",
        APPOINTED,
        "back",
        False,
    ),
    (
        r"\b(?:en adelante|en lo sucesivo|en endavant|d'ara endavant),? (?:el|la|l') ?(?:mandante|mandant|poderdante|"
        r"comunidad|comunitat|propiedad|propietat|titular|cliente|client)\b",
        GRANTOR,
        "back",
        False,
    ),
    # the heading of a signature block's column: "REPRESENTANTE DE LA GESTORA", "PER L'ADMINISTRADORA", "POR EL TITULAR"
    (
        r"\b(?:(?:representante|representant|firma|signatura) (?:de la|del|de l') ?(?:gestora|gestor|empresa gestora|"
        r"mandataria|mandatari[oa]?|administradora de fincas|administrador de fincas|administradora|apoderad[oa])|"
        r"(?:por|per) (?:la gestora|el gestor|el mandatario|la mandataria|el mandatari|la mandataria|l'administrador(?:a)?|"
        r"el apoderado|la apoderada))\b",
        APPOINTED,
        "both",
        False,
    ),
    (
        r"\b(?:(?:por|per) (?:el titular|la titular|la propiedad|la propietat|el mandante|la mandante|el mandant|"
        r"la mandant|la comunidad|la comunitat|el poderdante|la poderdante)|pel titular|pel mandant|"
        r"firma del titular|signatura del titular)\b",
        GRANTOR,
        "both",
        False,
    ),
    (
        r"\b(?:nombrad[oa]|designad[oa]|nomenat|nomenada|gestor(?:a)? energetic[oa]?|gestor externo|gestor extern)\b",
        APPOINTED,
        "both",
        False,
    ),
    (
        r"\b(?:en calidad de|com a|como|en condicion de|en la seva condicio de)\s*:?\s+(?:gestor|gestora|administrador(?:a)? de "
        r"(?:fincas|finques)|mandatari)",
        APPOINTED,
        "back",
        False,
    ),
    (
        # "quien acepta el cargo", "quienes aceptan el cargo" (two appointed named before it), "accepten el càrrec"
        # "a los solos efectos de aceptar el apoderamiento que se le confiere", "acepta el poder conferido"
        r"\bacepta(?:r|ndo|n)? (?:el|su|sus) (?:cargos?|nombramientos?|apoderamiento|poder(?:es)?|mandato)\b|"
        r"\baccept(?:a|ar|ant|en) (?:el|el seu|els seus) (?:carrecs?|nomenaments?|apoderament|poders?|mandat)\b",
        APPOINTED,
        "back",
        False,
    ),
    # -- grantor: who grants, on the company's behalf
    (r"\b(?:poderdante?|otorgante|atorgant|mandante|mandant|grantor|principal)s?\b", GRANTOR, "both", False),
    (
        r"\b(?:en nombre y representacion|en nom i representacio|en representacion|en representacio|actuando en nombre|"
        r"actuant en nom|on behalf)\b",
        GRANTOR,
        "back",
        False,
    ),
    # not the deed's closing formula ("Así lo dice y otorga", "Així ho diu i atorga"): it speaks of the appearing
    # party, whoever is named last before it (an attorney in a table)
    (
        # nor a passive one ("el apoderamiento que se le confiere", "el poder que li atorga"): it speaks of the holder
        r"(?<!\bdice y )(?<!\bdicen y )(?<!\bdiu i )(?<!\bdiuen i )(?<!\bse le )(?<!\bse les )(?<!\bli )(?<!\bels )"
        r"\b(?:otorga|atorga|otorgan|atorguen|confiere|confereix|grants)\b",
        GRANTOR,
        "back",
        False,
    ),
    (r"\b(?:en su calidad de|en la seva condicio de|en su condicion de)\b", GRANTOR, "back", False),
    # acting for the company in a capacity it already holds: "en su calidad de apoderado de la sociedad"
    (
        r"\b(?:en su calidad de|en calidad de|en su condicion de|en la seva condicio de|en qualitat de|actuando como|"
        r"actuant com a)\s*:?\s+(?:apoderad[oa]|apoderat|administrador[a]?(?: unic[oa]| solidari[oa]| mancomunad[oa])?|"
        r"consejer[oa](?: delegad[oa])?|conseller(?:a)?(?: delegat| delegada)?|president[ea]?|gerente|secretari[oa]?)\b",
        GRANTOR,
        "back",
        False,
    ),
    (
        r"\bcomo (?:apoderad[oa]|administrador[a]?(?: unic[oa])?|consejer[oa] delegad[oa]) de la "
        r"(?:sociedad|mercantil|compania|entidad)\b|\bcom a (?:apoderat|administrador(?:a)?(?: unic| unica)?) de la "
        r"(?:societat|mercantil|companyia|entitat)\b",
        GRANTOR,
        "back",
        False,
    ),
    (
        r"\brepresentad[oa] (?:por|per)(?: (?:su|el seu|la seva) (?:president[ea]?|administrador[a]?(?: unic[oa])?|"
        r"apoderad[oa]|apoderat|gerente))?",
        GRANTOR,
        "fwd",
        False,
        4,
    ),
    (
        r"\b(?:el|la) president[ea]?(?: de la comunidad(?: de propietarios)?| de la comunitat(?: de propietaris)?)?,?",
        GRANTOR,
        "fwd",
        False,
        3,
    ),
    (
        r"\b(?:presidente|presidenta|president|presidenta)(?: de la comunidad| de la comunitat)?\b",
        GRANTOR,
        "back",
        False,
    ),
    # the verb before its subject: "Lo otorga D. ...", "Ho atorga la senyora ..."
    (
        r"\b(?:lo|la|ho|los|les) (?:otorga|otorgan|atorga|atorguen)\b(?: (?:el senor|la senora|el senyor|la senyora|"
        r"don|dona|d|dna|na|en))?",
        GRANTOR,
        "fwd",
        False,
        3,
    ),
    (r"\bfirma del (?:mandante|poderdante)|\bsignatura del mandant", GRANTOR, "fwd", False),
    # a form's signer for the holder: "Firmante en nombre del titular", "Signant en nom de l'entitat"
    (
        r"\b(?:firmante|firmado|signant|signat|signatari[oa]?)(?: por)? (?:en nombre|en representacion|por cuenta|"
        r"en nom|en representacio|per compte)(?: y representacion| i representacio)? (?:del?|de la|de l'|d')\s?"
        r"(?:titular|mandante|poderdante|sociedad|empresa|entidad|comunidad|cliente|societat|entitat|comunitat|"
        r"client|mandant)\b",
        GRANTOR,
        "fwd",
        False,
    ),
    (
        r"\bcomparece(?:n)?\b|\bcompareix(?:en)?\b|\binterviene(?:n)?\b|\bintervenen?\b|\bintervinientes?\b",
        GRANTOR,
        "fwd",
        True,
    ),
    # -- notary, registrar, witness
    (r"\bante mi,?|\bdavant meu,?|\bbefore me,?", NOTARY, "fwd", False),
    (r"\bnotari[oa]?\b", NOTARY, "back", False),
    (r"\bel notari[oa]?:|\bnotari[oa]?:", NOTARY, "fwd", False),
    (r"\bregistrador(?:a)?(?: mercantil)?\b", REGISTRAR, "back", False),
    (r"\bel registrador(?:a)?:|\bregistrador(?:a)?:", REGISTRAR, "fwd", False),
    (r"\btestigos?\b|\btestimonis?\b|\bwitness(?:es)?\b", WITNESS, "both", False),
    # a signature block's label before the name: "Gestor/a: Carles Font", "Gestora: ..."
    (r"\bgestor(?:/a|\(a\)|a)?\s*:", APPOINTED, "fwd", False, 3),
]
_NEAR_ROLES = (NOTARY, REGISTRAR, WITNESS)
_COMPILED = [
    (re.compile(p), role, direction, weak, rest[0] if rest else None) for p, role, direction, weak, *rest in _CUES
]


def _is_title(word: str) -> bool:
    """An honorific ("D.", "Dña.", "Sra."): extract.HONORIFICS, the one list."""
    return bool(HONORIFIC_WORD.match(fold(word)))


@dataclass
class Cue:
    role: str
    start: int  # offsets in the page text
    end: int
    weak: bool
    heading: bool
    max_gap: int | None = None  # words between the cue and the name it may govern
    dated: bool = False  # a label with a date for its value: an event of the entry it closes
    row_label: bool = False  # a charge opening a register's row (see _ROW_CHARGE)


@dataclass
class RoleFinding:
    role: str
    distance: int
    start: int  # offsets of the evidence sentence in the page text
    end: int
    weak: bool = False
    words: list[Word] | None = None  # the evidence, when it is not one run of text (a table row)
    cue_end: int = 0


#: a form's section title ("DATOS DEL REPRESENTANTE AUTORIZADO", "DADES DEL MANDATARI"): it heads what follows
_SECTION_TITLE = re.compile(r"[ |]*(?:datos|dades|identificacion|identificacio|informacion|informacio)\b")
#: a numbered clause's opening ("PRIMER.-", "SEGUNDO.-", "3.-", "IV.-")
_CLAUSE_OPENS = re.compile(
    r"\b(?:primer[oa]?|segon[a]?|segund[oa]|tercer[oa]?|quart[oa]?|cuart[oa]|cinque|quint[oa]|sext[oa]|sise|"
    r"\d{1,2}|[ivx]{1,4})\s*\.\s*-"
)
#: the purpose clause of a grant, within the sentence before a cue: what the attorneys may do on the company's behalf
_PURPOSE = re.compile(r"\b(?:para que|perque|per tal que|a fin de que|afin que)\b[^.;]*$")
#: "poderdante" said of the company ("la sociedad poderdante"), not of a person
_COMPANY_GRANTS = re.compile(r"\b(?:sociedad|societat|entidad|entitat|compania|companyia|mercantil)\s*$")


def cues(index: PageIndex) -> list[tuple[Cue, str]]:
    """Every cue on the page with its direction (cached per page)."""
    cached = index.cache.get("role_cues")
    if cached is not None:
        return cached
    text = index.folded.replace("\n", " ")  # same length: offsets stay valid; phrases run across lines
    heading_lines = _heading_lines(index)
    found: list[tuple[Cue, str]] = []
    for rx, role, direction, weak, max_gap in _COMPILED:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if role == OUTGOING and _HYPOTHETICAL.search(text, max(0, s - 30), s):
                continue  # "en tanto no sea revocado", "fins a la seva revocació": no revocation took place
            if role == GRANTOR and (
                _PURPOSE.search(text, max(0, s - 70), s) or _COMPANY_GRANTS.search(text, max(0, s - 12), s)
            ):
                continue  # the grant's purpose ("para que cualquiera de ellos, en nombre y representación de la
                # sociedad poderdante, ..."): how the attorneys act, for the company that grants
            while s < e < len(text) and text[e].isalnum() and text[e - 1].isalnum():
                e -= 1  # a cue ends at a word's end: "faculta a" is not read off "faculta ÀNGELS"
            while e > s and text[e - 1] in " ,":
                e -= 1
            limit = max_gap
            if limit is None and direction != "back" and text[e : e + 3].lstrip().startswith(":"):
                limit = 3  # a label ("EL MANDANTE: X") names the name right after it, no other further on
            dated = direction == "fwd" and role in (APPOINTED, OUTGOING) and _dated_event(index, e)
            # dated: "Nombramiento: 04/07/2016. Cese: 29/08/2025.": an event of the entry above
            way = "back" if dated else direction
            found.append((Cue(role, s, e, weak, _line_of(index, s) in heading_lines, limit, dated), way))
    for m in _ROW_CHARGE.finditer(index.folded):
        # a register's row opening with a representation charge and the holder's name after it
        role = OUTGOING if m.group(2) else APPOINTED
        found.append((Cue(role, m.start(1), m.end(1), False, False, 3, row_label=True), "fwd"))
    for m in _ROW_OTHER_CHARGE.finditer(index.folded):
        # a charge that does not represent the company (the board's chair, its secretary, a plain member)
        found.append((Cue(OTHER, m.start(1), m.end(1), False, False, 3, row_label=True), "fwd"))
    index.cache["role_cues"] = found
    return found


#: a row opening with a charge that gives no power to represent the company: "Presidenta Inmaculada ...",
#: "Secretaria no cons. Marta ...", "Consejero ZHANG, WEI" (a plain member of the board), "Vocal ..."
_ROW_OTHER_CHARGE = re.compile(
    r"(?m)^[ |]*((?:vice)?(?:presidente|presidenta|president)|secretari[oa](?: no (?:consejer[oa]|cons\.?|conseller(?:a)?))?|"
    r"secretari|vocal|(?:consejer[oa]|conseller(?:a)?|consej|cons)(?![a-z])(?!\.?\s*deleg))[ :|,.]*(?=[a-z])"
)
#: a line (a register's table row, a list of charges) opening with a charge that represents the company, the
#: holder's name after it: "Administrador Único Gonzalo de los Santos López 77673910-N", "Cons. Delegado ZHANG, WEI",
#: a community's parties: "Administradora de finques Ewa Nowak X-9856334Y" (the mandatary)
_ROW_CHARGE = re.compile(
    r"(?m)^[ |]*((?:administrador(?:a)? (?:unic[oa]|solidari[oa]|mancomunad[oa])|administrador(?:a)? unic|"
    r"(?:consejer[oa]|consej\.?|cons\.?) deleg(?:ad[oa])?\.?|conseller(?:a)? delegat(?:da)?|apoderad[oa](?: solidari[oa]| "
    r"mancomunad[oa]| general)?|apoderat(?:da)?(?: solidari| mancomunat)?|liquidador(?:a)?|"
    r"administrador(?:a)? de (?:fincas|finques))(?![a-z])"
    # the charge's end marked in the row's first cell: "Administrador Único (CESA)", "Apoderado (revocado)"
    r"(\s*\(\s*(?:cesa|cesad[oa]|cessa|cessat|cessada|saliente|sortint|revocad[oa]|revocat|revocada)\s*\))?)"
    r"[ :|,]*(?=[a-z])"
)


#: a revocation or an end spoken of as a condition, not an act: "en tanto no sea revocado", "hasta su revocación",
#: "mientras no se revoque", "fins que no sigui revocat", "fins a la seva revocació", "salvo revocación expresa"
_HYPOTHETICAL = re.compile(
    r"(?:\bno (?:sea|sean|se|fuera|fuese|haya sido|sigui|siguin|es|hagi estat|fos)|\bhasta (?:su|la|que(?: sea)?)|"
    r"\bfins (?:a la seva|a la|que(?: no)?(?: sigui)?)|\bmientras no(?: se)?|\bsalvo(?: su)?|\bllevat de(?: la seva)?|"
    r"\bexcepto(?: su)?|\bunless|\buntil)\s*$"
)
_NAME_PAIR = re.compile(r"(?<![\w.])[A-ZÀ-Þ][\w'\-]+ [A-ZÀ-Þ][\w'\-]+")


#: from an event's label to its date: "Cese: ", "Cessament inscrit el ", "Nombramiento de fecha "
_TO_EVENT_DATE = re.compile(
    r"\s*:?\s*(?:(?:inscrit|inscrita|inscrito|registrad[oa]|registrat|registrada|de fecha|de data|con fecha|amb data|"
    r"en fecha|el|la|del|de)\s+){0,3}"
)


#: a cue that labels a number after it ("presidente: 64.005.974-X")
_LABELS_NUMBER = re.compile(r"\s*:\s*\d")


def _dated_event(index: PageIndex, end: int) -> bool:
    """A cue read as a label with a date for its value ("Nombramiento: 04/07/2016.", "Cessament 3 de
    maig de 2021"): an event of the person the entry names before it, when no name follows the date
    on that line (a register's entry lists its events under the person; "Baja: 12/03/2020 JUAN PÉREZ"
    names the person after)."""
    k = _line_of(index, end)
    line_end = index.line_ranges[k][1] if k >= 0 else len(index.text)
    m = _TO_EVENT_DATE.match(index.folded, end, line_end)
    if m.end() == line_end and 0 <= k < len(index.line_ranges) - 1:
        # the label ends its line ("...; cessament" / "inscrit el 16/06/2023."): its date opens the next one
        line_end = index.line_ranges[k + 1][1]
        m = _TO_EVENT_DATE.match(index.folded, end, line_end)
    date_end = starts_with_date(index.folded, m.end(), line_end)
    return date_end is not None and not _NAME_PAIR.search(index.text, date_end, line_end)


def _name_between(index: PageIndex, cue_last: int, first: int) -> bool:
    """A capitalised word (not an honorific) stands between a cue's last word and a mention's first: another
    person's name comes first."""
    for k in range(cue_last + 1, first):
        word = index.offsets[k][2].text.strip(",.;:()")
        if (
            len(word) >= 2
            and word[0].isupper()
            and word.isalpha()
            and not _is_title(word)
            and word.lower() not in _PARTICLES
        ):
            return True
    return False


#: a surname's particles, in capitals in a register ("DE LATORRE DÍAZ", "DEL RÍO"): part of a name, not another
_PARTICLES = frozenset(("de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "el"))


def _labels_next_name(index: PageIndex, cue: Cue) -> bool:
    """The cue is a label right before a name on its line ("Notària Laia López Bosch", "El Registrador
    JUAN PÉREZ"): it names that person, not the one before it."""
    k = _line_of(index, cue.end)
    line_end = index.line_ranges[k][1] if k >= 0 else len(index.text)
    m = re.match(r"[ :,]*", index.text[cue.end : line_end])
    return bool(_NAME_PAIR.match(index.text, cue.end + m.end(), line_end))


def _labels_name_after_colon(index: PageIndex, cue: Cue) -> bool:
    """The cue is a label with a colon and a name after it on its line ("Presidente: Gonzalo Garrido", "Apoderada:
    LAIA PUIG"): it names that person, not one before it."""
    k = _line_of(index, cue.end)
    line_end = index.line_ranges[k][1] if k >= 0 else len(index.text)
    m = re.match(r"[ \t]*:[ \t]*", index.text[cue.end : line_end])
    return bool(m and _NAME_PAIR.match(index.text, cue.end + m.end(), line_end))


def _line_of(index: PageIndex, pos: int) -> int:
    for k, (s, e) in enumerate(index.line_ranges):
        if s <= pos <= e:
            return k
    return -1


#: a numbered section's heading: "2. MANDATARIO", "II) APODERADA", "b) Cliente"
_NUMBERED = re.compile(r"[ |]*(?:\d{1,2}|[ivx]{1,4}|[a-h])[.)\-]+\s")


def _line_start(index: PageIndex, pos: int) -> int:
    k = _line_of(index, pos)
    return index.line_ranges[k][0] if k >= 0 else pos


def _starts_line(index: PageIndex, pos: int) -> bool:
    return any(s == pos for s, _ in index.line_ranges)


def _ends_row(index: PageIndex, cue: Cue) -> bool:
    """The cue closes a line that holds other words before it (a table row's last cells)."""
    k = _line_of(index, cue.start)
    if k < 0:
        return False
    s, e = index.line_ranges[k]
    tail = re.sub(r"\([^)]*\)", "", index.folded[cue.end : e])  # "Cesado (16/11/2022)"
    # a data row holds an identifier or a date before its last cell; a line of label words only
    # ("Persona autorizada (mandatario)") is a form's label for the value on the next line
    head = re.sub(r"^\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])[.)\-]+\s", "", index.folded[s : cue.start])  # "1. ", "b) "
    return s < cue.start and not re.search(r"[a-z0-9]", tail) and any(c.isdigit() for c in head)


def _heading_lines(index: PageIndex) -> set[int]:
    """Lines set like a heading: a few words, every letter upper case."""
    out = set()
    for k, (s, e) in enumerate(index.line_ranges):
        line = index.text[s:e]
        letters = [c for c in line if c.isalpha()]
        if (
            letters
            and len(line.split()) <= 8
            and all(c.isupper() for c in letters)
            and not any(c.isdigit() for c in line)
        ):
            out.add(k)
    return out


_ENDING = re.compile(
    # "el revocado" (the revoked one: "con las mismas facultades que el revocado") names no ending here
    r"\b(?:revoca(?!d[oa]s?\b)\w*|(?<!\bel )(?<!\bla )(?<!\bdel )(?<!\blos )(?<!\blas )revocad[oa]s?|deja(?:r)? sin efecto|deixa(?:r)? sense efecte|cese|cesar|cessament|cessar|"
    r"dimision|dimissio|destitucion|destitucio|(?<!\bde )baja|(?<!\bde )baixa)\b"
)
_NEW_GRANT = re.compile(
    r"[.;]\s|\b(?:y|i|e)\s+(?:ha\s+|han\s+|va\s+|van\s+|hemos\s+|hem\s+)?(?:el\s+|al\s+|se\s+|a\s+)?(?:otorga|confiere|nombra|nombramiento|designa|"
    r"atorga|nomena|nomenament|a favor|apodera|faculta|autoriza|autoritza)"
)


def _ended(index: PageIndex, lo: int, cue_start: int, cue_end: int) -> bool:
    """An appointment cue inside a clause that ends or revokes it ("revoca el poder otorgado a favor
    de ...", "cese del apoderado ..."), with no new grant in between ("cese del anterior y
    nombramiento de ...")."""
    origin = max(lo, cue_start - 160)
    for s, _e in index.line_ranges:
        if origin < s <= cue_start and starts_with_date(index.folded, s) is not None:
            origin = s  # a register's dated row opens an entry of its own: the row above ended someone else
    segment = index.folded[origin:cue_end].replace("\n", " ")
    segment = re.sub(
        r"(?<![a-z])((?:[a-z]{1,3}\.)+)(?= )", lambda m: m.group(1).replace(".", ","), segment
    )  # "d. ", "n.i.f. "
    hits = [m for m in _ENDING.finditer(segment) if m.start() < cue_start - origin]
    if not hits:
        return False
    return not _NEW_GRANT.search(segment, hits[-1].end())


#: the capacity the appearing party acts in is the one the deed itself records: "en su calidad de
#: Administrador Único designado en la Junta cuyos acuerdos se elevan a público", "com a administrador
#: únic nomenat en la Junta els acords de la qual s'eleven a públic", "nombrado en la presente escritura"
_CONFERRED_HERE = re.compile(
    r"\b(?:designad[oa]|nombrad[oa]|nomenat|nomenada|designat|designada|elegid[oa]|escollit|escollida|reelegid[oa]|"
    r"reelegit|reelegida)\b[^.;]{0,60}?\b(?:(?:se elevan?|s'eleven?|s'eleva|se formaliza[n]?|es formalitzen?)\b|"
    r"(?:en|por|per|mediante|mitjancant) (?:esta|la presente|este|el presente|aquesta|la present|aquest|el present) "
    r"(?:escritura|escriptura|instrumento|instrument|acta)\b)"
)


def _conferred_here(index: PageIndex, mention_end: int, cue_end: int) -> bool:
    """The sentence that gives a grantor's capacity says the deed itself confers it (the appearing
    party is the one the elevated resolutions appoint)."""
    stop = min(len(index.text), max(mention_end, cue_end) + 320)
    m = _SENTENCE_END.search(index.text, max(mention_end, cue_end), stop)
    segment = index.folded[mention_end : m.end(1) if m else stop].replace("\n", " ")
    return bool(_CONFERRED_HERE.search(segment))


#: the one party who appears ("Comparece", "Compareix": singular) is the one the deed records as appointed: "fue
#: nombrada administradora única la compareciente", "fou nomenat administrador el compareixent"
_APPEARS_ALONE = re.compile(r"\b(?:comparece|compareix)\b")
_APPEARER_APPOINTED = re.compile(
    r"\b(?:nombrad[oa]|designad[oa]|nomenat|nomenada|designat|designada|elegid[oa]|escollit|escollida)\b"
    r"[^.;]{0,60}?(?<!\bpor )(?<!\bper )\b(?:el|la|l') ?(?:compareciente|compareixent)\b"
)
_APPEARER_ENDED = re.compile(
    r"\b(?:cesad[oa]|cessat|cessada|revocad[oa]|revocat|revocada|destituid[oa]|destituit|destituida)\b"
    r"[^.;]{0,60}?\b(?:el|la|l') ?(?:compareciente|compareixent)\b"
)


def _appearer_appointed(index: PageIndex, cue: Cue) -> bool:
    """The cue is a lone party's appearance ("Comparece Doña X") and the deed says that party was appointed (an
    "acta de manifestaciones" where the new administrator declares the change): the appearer is appointed."""
    if not cue.weak or not _APPEARS_ALONE.fullmatch(index.folded, cue.start, cue.end):
        return False
    text = index.folded.replace("\n", " ")
    return bool(_APPEARER_APPOINTED.search(text)) and not _APPEARER_ENDED.search(text)


#: a sentence's end that no abbreviation makes ("Adm.", "Sr.", "D." are shorter): "... del CLIENTE. EL CLIENTE"
_FULL_STOP = re.compile(r"(?<![\w.])[^\W\d_]{4,}[.!?][\"'»”’)\]]*\s+(?=[¿¡«\"“(]*[A-ZÀ-Þ])")
_SENTENCE_END = re.compile(r"(?<![\w.])([^\W\d_]{2,})[.!?][\"'»”’)\]]*\s+(?=[¿¡«\"“(]*[A-ZÀ-Þ])")


def _sentence_ends(index: PageIndex, end: int, cue_start: int) -> bool:
    """A sentence ends between a mention (ending at ``end``) and a cue after it: a word of two or more
    letters, not an honorific or an abbreviation with inner dots ("N.I.F."), closed by a full stop (or
    ! ?) and followed by a capital.  Only an end that is certain counts (a backward cue that does not
    reach the name leaves it with no role: needs attention)."""
    lo = index.offsets[index.word_index_at(max(0, end - 1))][0] if index.offsets else end
    for m in _SENTENCE_END.finditer(index.text, lo, cue_start):
        if not _is_title(m.group(1)):
            return True
    return False


def role_of_mention(index: PageIndex, start: int, end: int, others: list[tuple[int, int]]) -> RoleFinding | None:
    """The role a mention at text offsets [start, end) is given, or None when no cue governs it.

    ``others``: text offset ranges of other people on the page (their identifiers and titled
    names); the search does not cross them."""
    on_row = _role_on_row(index, start, end)
    if on_row is not None:
        return on_row
    found = _role_in_reading_order(index, start, end, others)
    by_label = _role_by_label(index, start, end, others)
    if by_label is not None and (found is None or found.role != OUTGOING):
        return by_label  # a form read column by column: the reading order around the value is another field's
    on_column = _role_in_column(index, start, end)
    if on_column is not None and (found is None or found.role != OUTGOING):
        return on_column  # the column's heading cell names the cell under it (unless the text ends the role)
    if found is None:
        return _resigns_in_own_words(index, start, end)
    return found


#: a resignation in the first person ("les comunico mi dimisión", "presento la meva renúncia", "dimito")
_OWN_RESIGNATION = re.compile(
    r"\b(?:mi (?:dimision|renuncia)|la meva (?:dimissio|renuncia)|dimito|dimiteixo|renuncio al (?:cargo|carrec))\b"
)
#: the signature's label right before a name ("Fdo.:", "Firmado:", "Signat:")
_SIGNED_BY = re.compile(r"\b(?:fdo|firmado|signat|signada|signatura)\s*[.:]+\s*$")


def _resigns_in_own_words(index: PageIndex, start: int, end: int) -> RoleFinding | None:
    """The signer of a letter that resigns in the first person is the one who leaves."""
    text = index.folded
    if not _SIGNED_BY.search(text, max(0, start - 20), start):
        return None
    said = list(_OWN_RESIGNATION.finditer(text, 0, start))
    if not said:
        return None
    m = said[-1]
    opens = max(text.rfind(". ", 0, m.start()), text.rfind(": ", 0, m.start()))
    closes = text.find(".", m.end())
    return RoleFinding(OUTGOING, AHEAD_WORDS, opens + 2 if opens >= 0 else m.start(), closes if closes > 0 else m.end())


def _role_by_label(index: PageIndex, start: int, end: int, others: list[tuple[int, int]]) -> RoleFinding | None:
    """A form read column by column (the labels first, then the values: a page turned upside down, a wide
    form): the value printed on a field label's row, read apart from it (words of other rows between them), takes
    the role the label's place gives it ("2. MANDATARIO / Nombre y apellidos" ... "YUSUF EL AMRANI")."""
    words = index.words_in(start, end)
    if not words:
        return None
    first_line = [w for w in words if w.line == words[0].line]
    k = index.word_index_at(start)
    if k > 0 and index.offsets[k - 1][2].line == first_line[0].line:
        return None  # the value does not open its line: its own line holds its label ("Acepto: Luis ...")
    x0 = min(w.x0 for w in first_line)
    left = [(s, e, w) for s, e, w in row_cells(index, first_line) if w.x1 <= x0]
    if not left:
        return None
    nearest = max(left, key=lambda t: t[2].x1)[2].line
    label = [(s, e, w) for s, e, w in left if w.line == nearest]
    if len(label) > 6:
        return None  # a line of running text beside the value, not a field's label
    ls, le = min(s for s, _, _ in label), max(e for _, e, _ in label)
    if le > start or any(ls < oe and os_ < le for os_, oe in others):
        return None  # read after the value, or another person's name or identifier: not its label
    y0, y1 = min(w.y0 for w in first_line), max(w.y1 for w in first_line)
    between = index.offsets[index.word_index_at(max(ls, le - 1)) + 1 : index.word_index_at(start)]
    if not any(min(w.y1, y1) - max(w.y0, y0) <= 0 for _, _, w in between):
        return None  # the label is read right before its value: the reading order speaks for it
    found = _role_in_reading_order(index, ls, le, others)
    if found is None:
        return None
    return RoleFinding(
        found.role,
        found.distance,
        min(found.start, ls),
        max(found.end, le),
        found.weak,
        words=index.words_in(min(found.start, ls), le) + first_line,
        cue_end=found.cue_end,
    )


def _titles_section(index: PageIndex, cue: Cue) -> bool:
    """The cue ends a short line of its own after one word of a plural noun ("Cargos cesados", "Càrrecs
    cessats", "Apoderados revocados"): the title of the section that follows."""
    k = _line_of(index, cue.start)
    if k < 0:
        return False
    s, e = index.line_ranges[k]
    head = index.folded[s : cue.start].split()
    tail = index.folded[cue.end : e].strip(" .:|")
    return len(head) == 1 and head[0].isalpha() and head[0].endswith("s") and not tail


def _heading_only(index: PageIndex, cue: Cue) -> bool:
    """The cue is all its line holds: a section heading, not a label beside a name."""
    k = _line_of(index, cue.start)
    s, e = index.line_ranges[k] if k >= 0 else (cue.start, cue.end)
    return (
        re.sub(r"[^a-z ]", "", index.folded[s:e]).strip()
        == re.sub(r"[^a-z ]", "", index.folded[cue.start : cue.end]).strip()
    )


#: the party a "representada por" speaks for is the mandatary: "GESTIONES EBRO S.L. (LA GESTORA), representada por"
_MANDATARY_PARTY = re.compile(
    r"(?:\(|\b(?:en adelante|en lo sucesivo|en endavant),? )[\"'«“]?(?:el|la|l') ?(?:gestora|gestor|mandataria|"
    r"mandatario|mandatari|consultora|consultor|consultoria|empresa de servicios(?: energeticos)?|empresa gestora|"
    r"prestador(?:a)?(?: del servicio| de servicios)?|empresa de serveis(?: energetics)?|enginyeria|ingenieria|"
    r"administradora de fincas|administrador de fincas|administradora de finques|administrador de finques)\b"
    # the firm's person acting as the community's own secretary-administrator: the firm administers it
    r"|\b(?:en (?:su )?calidad de|como|com a|en qualitat de) secretari[oa]?[- ]administrador(?:a)?\b"
)
#: the name a contract gives a party, closing its description: "(en adelante, «EL CLIENTE»)", "(en endavant, EL
#: MANDANT)"; the next party's comes after it
_PARTY_NAMED = re.compile(r"\((?:en adelante|en lo sucesivo|en endavant),?\s*[^)]{0,60}\)")
_REPRESENTED = re.compile(r"\brepresentad[oa]\s+(?:por|per)\b")


def _represents_mandatary(index: PageIndex, cue: Cue) -> bool:
    """A "representada por" whose party, named earlier in the same sentence, is the mandatary, or an "en nombre y
    representación de" whose party, named right after it, is ("... de WATIO S.L. (en adelante, LA CONSULTORA),
    ..., y como persona designada ... (en adelante, EL MANDATARIO)"): the person represents the firm that receives
    the mandate, not the one that grants it."""
    if _ON_BEHALF.match(index.folded, cue.start):
        stop = _FULL_STOP.search(index.text, cue.end, cue.end + 500)  # the sentence's end ("S.L." is none)
        tail = index.folded[cue.end : stop.start() if stop else cue.end + 500].replace("\n", " ")
        named = _PARTY_NAMED.search(tail)  # the party's own name in the contract closes its description
        return bool(_MANDATARY_PARTY.search(named.group(0) if named else tail))
    if not _REPRESENTED.match(index.folded, cue.start):
        return False
    lo = max(0, cue.start - 200)
    head = index.folded[lo : cue.start].replace("\n", " ")
    cut = max(head.rfind(". "), head.rfind("; "))
    return bool(_MANDATARY_PARTY.search(head[cut + 1 :]))


_ON_BEHALF = re.compile(r"\b(?:en\s+nombre\s+y\s+representacion|en\s+nom\s+i\s+representacio|en\s+representacio)n?\b")


#: a grant whose holders are listed after it, on the folded text: "a favor de las personas que a continuación se
#: relacionan, para que cualquiera de ellas ...:", "a favor de los siguientes señores:", "a favor de les persones
#: següents:", "faculta a les persones que es relacionen a continuació:"; the colon opens the list
_LIST_GRANT = re.compile(
    r"\b(?:a favor (?:de|d')|en favor de|(?:faculta|apodera|autoriza|autoritza|nombra|nomena|designa) a)\s+"
    r"(?:las|los|les|els)\s+(?:siguientes\s+|seguents\s+)?(?:personas|senores|senors|persones|apoderados|apoderats)\b"
    r"[^.:;]{0,300}:"
    # or a grant whose beneficiaries follow its colon as a list ("confiere poder general ... a favor de: a) ... b) ...")
    r"|\b(?:a favor (?:de|d')|en favor de|a favor dels?|a favor de les)\s*:"
)
#: where a list ends: a line that opens with a heading in capitals and a colon ("FACULTADES GENERALES: ...")
_LIST_HEADING = re.compile(r"(?m)^[ |]*[A-ZÀ-Þ]{3,}(?: [A-ZÀ-Þ]{2,})*\s*:")


def _listed_by_grant(index: PageIndex, start: int) -> RoleFinding | None:
    """The mention at ``start`` is an entry of a list that a grant announced before it, the list not ended (no
    sentence's end, no heading between) and the grant not a revoked one."""
    lo = max(0, start - 1500)
    text = index.folded.replace("\n", " ")
    grants = list(_LIST_GRANT.finditer(text, lo, start))
    if not grants:
        return None
    grant = grants[-1]
    if _LIST_HEADING.search(index.text, grant.end(), start) or _sentence_ends(index, grant.end(), start):
        return None
    if _ended(index, lo, grant.start(), grant.end()):
        return RoleFinding(OUTGOING, BACK_WORDS, grant.start(), start, True, cue_end=grant.end())
    return RoleFinding(APPOINTED, BACK_WORDS, grant.start(), start, True, cue_end=grant.end())


def _role_in_reading_order(index: PageIndex, start: int, end: int, others: list[tuple[int, int]]) -> RoleFinding | None:
    before = max([e for s, e in others if e <= start], default=-1)
    after = min([s for s, e in others if s >= end], default=len(index.text) + 1)
    # an identifier alone (its name was not read): a label before it reaches it only over no name, which could be
    # its holder's or anyone's ("Firma del mandatario / Testigo de la firma: Begoña ..., DNI ...")
    id_only = not re.search(r"[^\W\d_]{2,}", index.text[start:end])
    first_word = index.word_index_at(start)
    last_word = index.word_index_at(max(start, end - 1))
    best: tuple[int, bool, int, RoleFinding] | None = None
    row_opens = [c.start for c, _ in cues(index) if c.row_label and c.start >= end]
    best_cue: Cue | None = None
    ending_back: list[tuple[Cue, RoleFinding]] = []  # outgoing cues after the mention ("... - Cesado el ...")
    for cue, direction in cues(index):
        penalty = (HEADING_PENALTY if cue.heading else 0) + (WEAK_PENALTY if cue.weak else 0)
        if direction in ("fwd", "both") and cue.end <= start and cue.start >= before:
            if direction == "both" and _ends_row(index, cue) and _line_of(index, cue.start) != _line_of(index, start):
                continue  # the last cell of the row before ("... Cesado (16/11/2022)") is that row's
            gap = first_word - index.word_index_at(max(cue.start, cue.end - 1)) - 1
            if cue.role == OUTGOING and _FULL_STOP.search(index.text, cue.end + 1, start):
                continue  # "... y baja de los suministros del CLIENTE. EL CLIENTE Pilar ...": the act had its object
            if _CLAUSE_OPENS.search(index.folded, cue.end, start):
                continue  # "... al apoderado revocado y a los terceros. TERCERO.- don X acepta": a clause of its own
            if len(_FULL_STOP.findall(index.text, cue.end + 1, start)) >= 2:
                continue  # "... quien acepta el nombramiento. Así lo dicen y otorgan. ... doy fe. Mamadou Diallo":
                # sentences later, the signatures are no object of the cue
            if (cue.max_gap is not None or id_only) and _name_between(
                index, index.word_index_at(max(cue.start, cue.end - 1)), first_word
            ):
                continue  # a cue for the name right after it ("representada por María ...") names that one
            if gap <= (
                cue.max_gap if cue.max_gap is not None else NEAR_ROLES_GAP if cue.role in _NEAR_ROLES else BACK_WORDS
            ):
                cand = RoleFinding(cue.role, gap + penalty, cue.start, end, cue.weak, cue_end=cue.end)
            else:
                continue
        elif direction in ("back", "both") and cue.start >= end and cue.end <= after:
            if (
                direction == "both"
                and _starts_line(index, cue.start)
                and _line_of(index, cue.start) != _line_of(index, end)
            ):
                continue  # a label opening the next line belongs to that line ("Poderdante: ...")
            if (
                direction == "both"
                and _titles_section(index, cue)
                and _line_of(index, cue.start) != _line_of(index, end)
            ):
                continue  # a section's title under a table ("Cargos cesados") heads the rows after it
            if direction == "back" and not cue.dated and _LABELS_NUMBER.match(index.folded, cue.end):
                continue  # "D.N.I. presidente: 64.005.974-X": the label of the number after it, not a role before it
            if cue.role == GRANTOR and _labels_name_after_colon(index, cue):
                continue  # "Ramón Ruiz ... | Presidente: Gonzalo Garrido": a signer's label names the one after its
                # colon
            if any(end <= r < cue.start for r in row_opens):
                continue  # the next row's charge opens before it ("... 74331226X / Administrador Único (CESA)"):
                # the cue is that row's
            line_start = _line_start(index, cue.start)
            if _SECTION_TITLE.match(index.folded, line_start) or (
                _heading_only(index, cue)
                and ((cue.role == GRANTOR and cue.heading) or _NUMBERED.match(index.folded, line_start))
            ):
                continue  # a section's heading ("OTORGA", "COMPARECE", "2. MANDATARIO", "DATOS DEL ...") introduces
                # what follows it
            if _CLAUSE_OPENS.search(index.folded, end, cue.start):
                continue  # "... DNI/NIE X2971353Y PRIMER.- El soci únic cessa ...": the next clause's words are its own
            if cue.role != OUTGOING and _sentence_ends(index, end, cue.start):
                continue  # "... a BEATRIZ MÁRQUEZ.» Yo, el Notario": the next sentence's words are not hers
            if cue.role in _NEAR_ROLES and _labels_next_name(index, cue):
                continue  # signatures side by side: "Pierre Dubois    Notària Laia López Bosch" labels her
            gap = index.word_index_at(cue.start) - last_word - 1
            if gap <= (NEAR_ROLES_GAP if cue.role in _NEAR_ROLES else AHEAD_WORDS):
                cand = RoleFinding(cue.role, gap + penalty, start, cue.end, cue.weak)
                if cue.role == OUTGOING:
                    ending_back.append((cue, cand))
            else:
                continue
        else:
            continue
        # at the same distance, a cue in the mention's own line beats one on the line before ("Firma del
        # representante autorizado" / "Firmado José ..., con D.N.I. ..., como testigo."), then the longer cue
        other_line = _line_of(index, cue.start) not in (_line_of(index, start), _line_of(index, max(start, end - 1)))
        key = (cand.distance, other_line, -(cue.end - cue.start))
        if best is None or key < best[:3]:
            best = (key[0], key[1], key[2], cand)
            best_cue = cue
    if best is not None:
        found = best[3]
        if found.role == APPOINTED and found.start < start and _ended(index, before + 1, found.start, found.cue_end):
            return RoleFinding(OUTGOING, found.distance, found.start, found.end)
        if found.role == APPOINTED and found.start == start and _ended(index, max(0, start - 160), start, start):
            # a name listed after the one an ending clause names ("revoca el poder conferido a D. X y a D. Y,
            # para que solidariamente ..."): the clause that ends X's power ends Y's too
            return RoleFinding(OUTGOING, found.distance, found.start, found.end)
        if found.role == GRANTOR and best_cue is not None and _represents_mandatary(index, best_cue):
            return RoleFinding(APPOINTED, found.distance, found.start, found.end, found.weak, cue_end=found.cue_end)
        if found.role == GRANTOR and _conferred_here(index, end, max(found.end, found.cue_end)):
            return RoleFinding(APPOINTED, found.distance, found.start, found.end, found.weak, cue_end=found.cue_end)
        if found.role == GRANTOR and best_cue is not None and _appearer_appointed(index, best_cue):
            return RoleFinding(APPOINTED, found.distance, found.start, found.end, found.weak, cue_end=found.cue_end)
        if found.role == APPOINTED:
            # an entry of a register closed by a dated end under it ("APODERADO: X NIF ... / Revocación:
            # 30/10/2023."): whatever named the person, the entry records the end
            for cue, cand in ending_back:
                if cue.dated:
                    return cand
        if found.role == APPOINTED and best_cue is not None and best_cue.row_label:
            # the entry records the charge's end after the name ("Apoderado X NIF ... Revocado 2023", "Nomenat el
            # ..., cessat el ..." on the line under it)
            if ending_back:
                return ending_back[0][1]
        if found.role == APPOINTED and found.start == start and best_cue is not None:
            # an appointment and its end recorded on one row ("Nombrado el 24/04/2018 - Cesado el 30/07/2026",
            # "nomenat el ..., cessat el ..."): the end came later, the person is outgoing
            row = _line_of(index, best_cue.start)
            for cue, cand in ending_back:
                if cue.start > best_cue.start and _line_of(index, cue.start) == row:
                    return cand
        return found
    return _listed_by_grant(index, start)


def row_cells(index: PageIndex, words: list[Word]) -> list[tuple[int, int, Word]]:
    """Words printed on the same row as ``words`` but read as other lines: the other cells of a
    table row that OCR read column by column."""
    if not words:
        return []
    y0 = min(w.y0 for w in words)
    y1 = max(w.y1 for w in words)
    h = max(1, y1 - y0)
    lines = {w.line for w in words}
    return [
        (s, e, w)
        for s, e, w in index.offsets
        if w.line not in lines and min(w.y1, y1) - max(w.y0, y0) > 0.5 * min(h, max(1, w.y1 - w.y0))
    ]


def _opens_cell(index: PageIndex, k: int, h: int) -> bool:
    """Word ``k`` opens its line or stands a column gap (more than 1.5 line heights) after the word
    before it on that line: it starts a table cell."""
    if k <= 0:
        return True
    w, prev = index.offsets[k][2], index.offsets[k - 1][2]
    return prev.line != w.line or w.x0 - prev.x1 > 1.5 * h


def cell_of(index: PageIndex, first: int, last: int) -> tuple[int, int]:
    """Word indices (into ``index.offsets``) of the table cell holding words ``first``..``last`` of one
    line: widened on that line up to a column gap (see :func:`_opens_cell`) or the line's ends."""
    offs = index.offsets
    h = max(1, max(offs[k][2].y1 - offs[k][2].y0 for k in range(first, last + 1)))
    while not _opens_cell(index, first, h):
        first -= 1
    while last + 1 < len(offs) and not _opens_cell(index, last + 1, h):
        last += 1
    return first, last


def in_columns(index: PageIndex, k: int) -> bool:
    """Word ``k`` is on a line set in columns: the line holds a column gap (OCR read a table row as
    one line) or other words are printed beside it at the same height (read as other lines)."""
    offs = index.offsets
    w = offs[k][2]
    h = max(1, w.y1 - w.y0)
    line = [j for j in range(len(offs)) if offs[j][2].line == w.line]
    return any(_opens_cell(index, j, h) for j in line[1:]) or bool(row_cells(index, [offs[j][2] for j in line]))


#: the words of a form field's label before the name in its cell
_FIELD_LABELS = frozenset(
    (
        "nombre",
        "nom",
        "name",
        "apellidos",
        "cognoms",
        "surname",
        "surnames",
        "y",
        "i",
        "and",
        "completo",
        "complet",
        "full",
        "firmante",
        "signant",
        "signatari",
    )
)


_COLUMN_VERB = re.compile(
    r"(?:que )?(?:cesan|cessen|dimiten|dimiteixen|(?:son|quedan) (?:nombrad[oa]s|designad[oa]s)|"
    r"(?:son|queden) (?:nomenats|nomenades|designats|designades))"
)


def _role_in_column(index: PageIndex, start: int, end: int) -> RoleFinding | None:
    """A role label heading the mention's table column ("APODERADO/A" over the cell the name opens):
    the nearest words printed above the mention's first line, overlapping it horizontally and at most
    three lines up, hold a role label cue and nothing else is printed between."""
    words = index.words_in(start, end)
    if not words:
        return None
    h = max(1, max(w.y1 - w.y0 for w in words if w.line == words[0].line))
    k = index.word_index_at(start)
    _, last = cell_of(index, k, k)
    first = [w for w in words if w.line == words[0].line and id(w) in {id(o[2]) for o in index.offsets[k : last + 1]}]
    x0, x1, y0 = min(w.x0 for w in first), max(w.x1 for w in first), min(w.y0 for w in first)
    labelled = False
    while k > 0 and index.offsets[k - 1][2].line == first[0].line and not _opens_cell(index, k, h):
        before = index.offsets[k - 1][2].text
        if _is_title(before) and not labelled:
            k -= 1  # the title before the name ("Sra. MARIA ...") opens the cell
        elif fold(before).rstrip(":") in _FIELD_LABELS and (labelled or before.endswith(":")):
            k -= 1  # a form's field label in the cell ("Nombre: MARIA ...", "Nom i cognoms: ...")
            labelled = True
        else:
            break
    if not _opens_cell(index, k, h):
        return None  # a name inside running text is not a table cell
    cell = _row_above(index, x0, x1, y0, h, 4 * h, {id(w) for w in first})  # the nearest printed row above
    for row in range(COLUMN_ROWS + 1):
        if not cell:
            return None
        found = _column_heading(index, cell, h, start, end, first)
        if found is not None or not _box_column(index, cell) or row == COLUMN_ROWS:
            return found
        # a box's column of several entries ("CESSEN" over a name, its DNI, the next name, its DNI): the heading
        # over the column's first row heads every row of the column
        if row == 0:
            x0, x1 = min(w.x0 for _, _, w in cell), max(w.x1 for _, _, w in cell)
        y0 = min(w.y0 for _, _, w in cell)
        cell = _row_above(index, x0, x1, y0, h, 2.5 * h, {id(w) for _, _, w in cell})
    return None


def _row_above(
    index: PageIndex, x0: int, x1: int, y0: int, h: int, reach: float, skip: set[int]
) -> list[tuple[int, int, Word]]:
    """The nearest printed row above ``y0`` (within ``reach`` pixels) of the words overlapping [x0, x1], but the
    words ``skip`` (by id)."""
    above = [
        (s, e, w)
        for s, e, w in index.offsets
        if w.y1 <= y0 + h // 4 and y0 - w.y0 <= reach and min(w.x1, x1) > max(w.x0, x0) and id(w) not in skip
    ]
    if not above:
        return []
    top = max(w.y1 for _, _, w in above)
    return [(s, e, w) for s, e, w in above if w.y1 > top - h]


#: how many rows of a box's column a heading may stand above
COLUMN_ROWS = 6


def _box_column(index: PageIndex, cell: list[tuple[int, int, Word]]) -> bool:
    """The cell above is another entry of a box's column, printed in capitals (a name, "DNI/NIE 97540909-W"): no
    running text, whose words a heading further up would not head."""
    text = " ".join(w.text for _, _, w in cell)
    return any(c.isalnum() for c in text) and text.upper() == text


def _column_heading(index: PageIndex, cell, h: int, start: int, end: int, first: list[Word]) -> RoleFinding | None:
    """The role label alone in the heading ``cell`` over the mention's column."""
    for cue, direction in cues(index):
        if (
            # a label alone in a heading cell heads its column ("APODERADO/A"), so does a plural verb of a box's
            # columns ("CESSEN | SÓN NOMENATS"); a noun of a register's columns ("Nombramiento") heads its dates
            (direction == "both" or _COLUMN_VERB.fullmatch(index.folded, cue.start, cue.end))
            and cue.role in (APPOINTED, OUTGOING, GRANTOR)
            and any(s <= cue.start < e for s, e, _ in cell)
        ):
            label = index.words_in(cue.start, cue.end)
            last = index.word_index_at(max(cue.start, cue.end - 1))
            if (
                not label
                or not _opens_cell(index, index.word_index_at(cue.start), h)
                or (last + 1 < len(index.offsets) and not _opens_cell(index, last + 1, h))
            ):
                continue  # a heading cell holds the label alone: not "... el poderdante." nor "Apoderada: D. X"
            return RoleFinding(cue.role, 0, min(start, cue.start), max(end, cue.end), words=label + first)
    return None


def _role_on_row(index: PageIndex, start: int, end: int) -> RoleFinding | None:
    """A role label in another cell of the mention's table row ("Apoderada", "Cesante")."""
    words = index.words_in(start, end)
    if not words:
        return None
    first_line = [w for w in words if w.line == words[0].line]
    cells = row_cells(index, first_line)
    if not cells:
        return None
    for cue, direction in cues(index):
        if (
            cue.role in (APPOINTED, OUTGOING, GRANTOR)
            and any(s <= cue.start < e for s, e, _ in cells)
            and (direction == "both" or (cue.role != GRANTOR and _fills_cell(index, cue)))
            and not _labels_own_value(index, cue)
        ):
            return RoleFinding(
                cue.role,
                0,
                min(start, cue.start),
                max(end, cue.end),
                words=first_line + index.words_in(cue.start, cue.end),
            )
    return None


def _labels_own_value(index: PageIndex, cue: Cue) -> bool:
    """The cue is a label with its own value after a colon on its line ("El mandant / El mandante: Fernando del
    Pino", beside "El mandatari / El mandatario: Arnau Bosch"): it names that value, not a cell beside it."""
    k = _line_of(index, cue.end)
    line_end = index.line_ranges[k][1] if k >= 0 else len(index.text)
    return bool(re.search(r":\s*(?:[A-ZÀ-Þ]|\d)", index.text[cue.end : line_end]))


def _fills_cell(index: PageIndex, cue: Cue) -> bool:
    """The cue is all its table cell holds: an act column's value ("Nombramiento", "Cese", "Revocació")
    names the act of its row, whichever way the phrase would point in running text."""
    first = index.word_index_at(cue.start)
    last = index.word_index_at(max(cue.start, cue.end - 1))
    if first < 0 or last < first:
        return False
    a, b = cell_of(index, first, last)
    return (a, b) == (first, last) and not re.search(r"[a-z0-9]", index.folded[cue.end : index.offsets[last][1]])


# --------------------------------------------------------------------------- other people on a page


def span_range(index: PageIndex, words: list[Word]) -> tuple[int, int] | None:
    """Text offsets covering the given words of the page."""
    where = {id(w): (s, e) for s, e, w in index.offsets}
    got = [where[id(w)] for w in words if id(w) in where]
    return (min(s for s, _ in got), max(e for _, e in got)) if got else None


#: titles that mark a name in lower case too, mid-sentence ("comparece don Jesús", "a doña Rocío", "el senyor Pau")
_LOWER_CASE_TITLES = frozenset(("don", "dona", "dna", "senor", "senora", "senyor", "senyora"))


def titled_names(index: PageIndex) -> list[tuple[int, int]]:
    """Text ranges of names introduced by a title (D., Dña., Don, Doña, Sr., Sra.): the title and up
    to six following capitalised words or particles (computed once per page)."""
    cached = index.cache.get("titled_names")
    if cached is not None:
        return cached
    out = index.cache["titled_names"] = []
    offs = index.offsets
    for k, (s, _e, w) in enumerate(offs):
        if not _is_title(w.text.rstrip(".,:")) or not (
            w.text[:1].isupper() or fold(w.text.rstrip(".,:")) in _LOWER_CASE_TITLES
        ):
            continue
        j = k + 1
        last = None
        while j < len(offs) and j <= k + 7:
            t = offs[j][2].text.strip(",;:.")
            if t and t[0].isupper():
                last = j
            elif t.lower() not in ("de", "del", "la", "i", "y", "las", "los", "d'"):
                break
            if offs[j][2].text.endswith((",", ";", ":")):
                break
            j += 1
        if last is not None:
            out.append((s, offs[last][1]))
    return out


_NAME_STOP = frozenset(
    (
        "DNI",
        "NIF",
        "NIE",
        "CIF",
        "CON",
        "AMB",
        "PROVISTO",
        "PROVEIT",
        "MAYOR",
        "MAJOR",
        "EDAD",
        "VECINO",
        "VEI",
        "D",
        "DNA",
        "DON",
        "DONA",
        "SR",
        "SRA",
        "EN",
        "NA",
        "Y",
        "I",
        "NUM",
        "NUMERO",
        "PASAPORTE",
        "PASSAPORT",
        "TIE",
        "NUM.",
        "Nº",
        # an identifier's label read without its slash ("DNI/NIE" as "DNINIE")
        "DNINIE",
        "NIFNIE",
        "DNINIF",
    )
)


def clean_name(text: str) -> str:
    """A name as printed, on one line: words without the punctuation around them (a cell's "|",
    a trailing comma), particles kept, no leading title ("D.", "Dña.")."""
    parts = [w.strip(",.;:/|()[]{}\"'«»“”") for w in (text or "").split()]
    parts = [w for w in parts if any(c.isalnum() for c in w)]
    while parts and _is_title(parts[0]):
        parts = parts[1:]
    return " ".join(parts)


def name_near(index: PageIndex, id_start: int, id_end: int) -> tuple[int, int] | None:
    """Text range of the name an identifier belongs to: the titled name nearest before it (within
    20 words), else a run of two or more capitalised words just before or after it."""
    id_word = index.word_index_at(id_start)
    best = None
    for s, e in titled_names(index):
        if e <= id_start and id_word - index.word_index_at(e - 1) <= 20:
            best = (s, e)
    if best:
        return best
    offs = index.offsets

    def run(indices, backward: bool = False) -> tuple[int, int] | None:
        got = []
        for k in indices:
            raw = offs[k][2].text
            if backward and got and (raw.endswith(":") or re.search(r"[^\W\d_]{2}\.$", raw)) and not _is_title(raw):
                break  # a label ("ADMINISTRADOR ÚNICO:") or the end of the sentence before ("Vigente.")
            t = raw.strip(",;:.()|")
            if not t or t.upper() in _NAME_STOP or re.sub(r"\W", "", t.upper()) in _NAME_STOP:
                if got:
                    break
                continue
            if t[0].isupper() and t.isalpha() or (t.lower() in ("de", "del", "la", "i", "y") and got):
                got.append(k)
            elif got:
                break
            if len(got) >= 6:
                break
        got = [k for k in got if offs[k][2].text.strip(",;:.")[:1].isupper()]
        if len(got) >= 2:
            return offs[min(got)][0], offs[max(got)][1]
        return None

    back = run(range(id_word - 1, max(-1, id_word - 9), -1), backward=True)
    if back:
        return back
    last_id_word = index.word_index_at(max(id_start, id_end - 1))
    return run(range(last_id_word + 1, min(len(offs), last_id_word + 7)))
