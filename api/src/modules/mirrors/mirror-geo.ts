import type { Continent } from './mirror.entity';

// ISO 3166-1 alpha-2 codes by continent (the seven-continent model mirror lists use).
const BY_CONTINENT: Record<Continent, string> = {
  AF: 'AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW',
  AN: 'AQ BV GS HM TF',
  AS: 'AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE',
  EU: 'AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK',
  NA: 'AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI',
  OC: 'AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS',
  SA: 'AR BO BR CL CO EC FK GF GY PE PY SR UY VE',
};

const CONTINENT_OF = new Map<string, Continent>();
for (const [continent, codes] of Object.entries(BY_CONTINENT) as [Continent, string][]) {
  for (const code of codes.split(' ')) CONTINENT_OF.set(code, continent);
}

/** The continent of an ISO country code, or null for codes we do not know. */
export function continentOf(country: string): Continent | null {
  return CONTINENT_OF.get(country.toUpperCase()) ?? null;
}

export const COUNTRY_PATTERN = /^[A-Za-z]{2}$/;

/** A country code as sent by a proxy or typed in a URL, normalised, or null when it is not one. */
export function normaliseCountry(raw: unknown): string | null {
  if (typeof raw !== 'string' || !COUNTRY_PATTERN.test(raw)) return null;
  const code = raw.toUpperCase();
  return CONTINENT_OF.has(code) ? code : null;
}
