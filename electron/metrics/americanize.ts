/**
 * British → American spelling as Stanford's PTB tokenizer applies it (its `americanize` option is
 * on by default, and the COCO toolkit runs the tokenizer with defaults). It runs on the token's
 * original case, before lower-casing: "grey" becomes "gray" but "Grey" stays (then "grey").
 * Facts from CoreNLP's Americanize: words shorter than 4 are never changed; a fixed word map;
 * then, for words of 6+ characters, the first matching pattern is applied (replace-all).
 */

const WORD_MAP: Record<string, string> = Object.fromEntries(
  [
    'anaesthetic anesthetic', 'analogue analog', 'analogues analogs', 'analyse analyze', 'analysed analyzed',
    'analysing analyzing', 'armoured armored', 'cancelled canceled', 'cancelling canceling', 'candour candor',
    'capitalise capitalize', 'capitalised capitalized', 'capitalisation capitalization', 'centre center',
    'chimaeric chimeric', 'clamour clamor', 'coloured colored', 'colouring coloring', 'colourful colorful',
    'defence defense', 'Defence Defense', 'discolour discolor', 'discolours discolors', 'discoloured discolored',
    'discolouring discoloring', 'encyclopaedia encyclopedia', 'endeavour endeavor', 'endeavours endeavors',
    'endeavoured endeavored', 'endeavouring endeavoring', 'fervour fervor', 'favour favor', 'favours favors',
    'favoured favored', 'favouring favoring', 'favourite favorite', 'favourites favorites', 'fibre fiber',
    'fibres fibers', 'finalise finalize', 'finalised finalized', 'finalising finalizing', 'flavour flavor',
    'flavours flavors', 'flavoured flavored', 'flavouring flavoring', 'glamour glamour', 'grey gray',
    'harbour harbor', 'harbours harbors', 'homologue homolog', 'homologues homologs', 'honour honor',
    'honours honors', 'honoured honored', 'honouring honoring', 'honourable honorable', 'humour humor',
    'humours humors', 'humoured humored', 'humouring humoring', 'kerb curb', 'labelled labeled',
    'labelling labeling', 'labour labor', 'Labour Labor', 'labours labors', 'laboured labored',
    'labouring laboring', 'leant leaned', 'learnt learned', 'localise localize', 'localised localized',
    'manoeuvre maneuver', 'manoeuvres maneuvers', 'maximise maximize', 'maximised maximized',
    'maximising maximizing', 'meagre meager', 'minimise minimize', 'minimised minimized', 'minimising minimizing',
    'modernise modernize', 'modernised modernized', 'modernising modernizing', 'misdemeanour misdemeanor',
    'misdemeanours misdemeanors', 'neighbour neighbor', 'neighbours neighbors', 'neighbourhood neighborhood',
    'neighbourhoods neighborhoods', 'oestrogen estrogen', 'oestrogens estrogens', 'organisation organization',
    'organisations organizations', 'penalise penalize', 'penalised penalized', 'popularise popularize',
    'popularised popularized', 'popularises popularizes', 'popularising popularizing', 'practise practice',
    'practised practiced', 'pressurise pressurize', 'pressurised pressurized', 'pressurises pressurizes',
    'pressurising pressurizing', 'realise realize', 'realised realized', 'realising realizing',
    'realises realizes', 'recognise recognize', 'recognised recognized', 'recognising recognizing',
    'recognises recognizes', 'rumoured rumored', 'rumouring rumoring', 'savour savor', 'savours savors',
    'savoured savored', 'savouring savoring', 'splendour splendor', 'splendours splendors', 'theatre theater',
    'theatres theaters', 'titre titer', 'titres titers', 'travelled traveled', 'travelling traveling',
  ].map((pair) => pair.split(' ') as [string, string]),
);

const OUR_EXCEPTIONS =
  /abatjour|beflour|bonjour|calambour|carrefour|cornflour|contour|de[tv]our|dortour|dyvour|downpour|giaour|glamour|holour|inpour|outpour|pandour|paramour|pompadour|recontour|repour|ryeflour|sompnour|tambour|troubadour|tregetour|velour/;

const PATTERNS: { find: RegExp; replace: string; except?: RegExp }[] = [
  { find: /haem(at)?o/g, replace: 'hem$1o' },
  { find: /aemia$/g, replace: 'emia' },
  { find: /([lL])eukaem/g, replace: '$1eukem' },
  { find: /programme(s?)$/g, replace: 'program$1' },
  { find: /^([a-z]{3,})our(s?)$/g, replace: '$1or$2', except: OUR_EXCEPTIONS },
];

export function americanize(word: string): string {
  if (word.length < 4) return word;
  const mapped = WORD_MAP[word];
  if (mapped !== undefined && Object.hasOwn(WORD_MAP, word)) return mapped;
  if (word.length < 6) return word;
  for (const { find, replace, except } of PATTERNS) {
    find.lastIndex = 0;
    if (!find.test(word)) continue;
    if (except?.test(word)) continue;
    find.lastIndex = 0;
    return word.replace(find, replace);
  }
  return word;
}
