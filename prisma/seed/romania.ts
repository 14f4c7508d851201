/** Reference data for realistic Romanian farm leads. */

/** The 41 counties and Bucharest, each with a few real localities (the county seat first). */
export const COUNTIES: ReadonlyArray<{ judet: string; localitati: readonly string[] }> = [
  { judet: "Alba", localitati: ["Alba Iulia", "Aiud", "Blaj", "Sebeș", "Teiuș"] },
  { judet: "Arad", localitati: ["Arad", "Pecica", "Sântana", "Curtici", "Lipova"] },
  { judet: "Argeș", localitati: ["Pitești", "Costești", "Topoloveni", "Mioveni", "Stolnici"] },
  { judet: "Bacău", localitati: ["Bacău", "Onești", "Buhuși", "Podu Turcului", "Răcăciuni"] },
  { judet: "Bihor", localitati: ["Oradea", "Salonta", "Marghita", "Valea lui Mihai", "Tinca"] },
  { judet: "Bistrița-Năsăud", localitati: ["Bistrița", "Beclean", "Năsăud", "Lechința", "Teaca"] },
  { judet: "Botoșani", localitati: ["Botoșani", "Dorohoi", "Săveni", "Flămânzi", "Trușești"] },
  { judet: "Brașov", localitati: ["Brașov", "Făgăraș", "Rupea", "Feldioara", "Hărman"] },
  { judet: "Brăila", localitati: ["Brăila", "Ianca", "Însurăței", "Făurei", "Viziru"] },
  { judet: "Buzău", localitati: ["Buzău", "Râmnicu Sărat", "Pogoanele", "Smeeni", "Rușețu"] },
  { judet: "Caraș-Severin", localitati: ["Reșița", "Caransebeș", "Oravița", "Bocșa", "Moldova Nouă"] },
  { judet: "Călărași", localitati: ["Călărași", "Oltenița", "Lehliu-Gară", "Fundulea", "Budești"] },
  { judet: "Cluj", localitati: ["Cluj-Napoca", "Turda", "Dej", "Câmpia Turzii", "Gherla"] },
  { judet: "Constanța", localitati: ["Constanța", "Medgidia", "Cernavodă", "Negru Vodă", "Hârșova"] },
  { judet: "Covasna", localitati: ["Sfântu Gheorghe", "Târgu Secuiesc", "Covasna", "Baraolt", "Ozun"] },
  { judet: "Dâmbovița", localitati: ["Târgoviște", "Găești", "Titu", "Răcari", "Pucioasa"] },
  { judet: "Dolj", localitati: ["Craiova", "Băilești", "Calafat", "Segarcea", "Dăbuleni"] },
  { judet: "Galați", localitati: ["Galați", "Tecuci", "Târgu Bujor", "Berești", "Liești"] },
  { judet: "Giurgiu", localitati: ["Giurgiu", "Bolintin-Vale", "Mihăilești", "Hotarele", "Ghimpați"] },
  { judet: "Gorj", localitati: ["Târgu Jiu", "Motru", "Rovinari", "Bumbești-Jiu", "Țicleni"] },
  { judet: "Harghita", localitati: ["Miercurea Ciuc", "Odorheiu Secuiesc", "Gheorgheni", "Toplița", "Cristuru Secuiesc"] },
  { judet: "Hunedoara", localitati: ["Deva", "Hunedoara", "Orăștie", "Hațeg", "Simeria"] },
  { judet: "Ialomița", localitati: ["Slobozia", "Fetești", "Urziceni", "Țăndărei", "Amara"] },
  { judet: "Iași", localitati: ["Iași", "Pașcani", "Hârlău", "Târgu Frumos", "Podu Iloaiei"] },
  { judet: "Ilfov", localitati: ["Buftea", "Otopeni", "Voluntari", "Snagov", "Ciolpani"] },
  { judet: "Maramureș", localitati: ["Baia Mare", "Sighetu Marmației", "Borșa", "Seini", "Târgu Lăpuș"] },
  { judet: "Mehedinți", localitati: ["Drobeta-Turnu Severin", "Strehaia", "Vânju Mare", "Orșova", "Baia de Aramă"] },
  { judet: "Mureș", localitati: ["Târgu Mureș", "Reghin", "Sighișoara", "Luduș", "Iernut"] },
  { judet: "Neamț", localitati: ["Piatra Neamț", "Roman", "Târgu Neamț", "Bicaz", "Roznov"] },
  { judet: "Olt", localitati: ["Slatina", "Caracal", "Balș", "Corabia", "Drăgănești-Olt"] },
  { judet: "Prahova", localitati: ["Ploiești", "Câmpina", "Mizil", "Urlați", "Băicoi"] },
  { judet: "Satu Mare", localitati: ["Satu Mare", "Carei", "Negrești-Oaș", "Tășnad", "Ardud"] },
  { judet: "Sălaj", localitati: ["Zalău", "Șimleu Silvaniei", "Jibou", "Cehu Silvaniei", "Ileanda"] },
  { judet: "Sibiu", localitati: ["Sibiu", "Mediaș", "Agnita", "Avrig", "Dumbrăveni"] },
  { judet: "Suceava", localitati: ["Suceava", "Fălticeni", "Rădăuți", "Câmpulung Moldovenesc", "Dolhasca"] },
  { judet: "Teleorman", localitati: ["Alexandria", "Roșiorii de Vede", "Turnu Măgurele", "Zimnicea", "Videle"] },
  { judet: "Timiș", localitati: ["Timișoara", "Lugoj", "Sânnicolau Mare", "Jimbolia", "Deta"] },
  { judet: "Tulcea", localitati: ["Tulcea", "Babadag", "Măcin", "Isaccea", "Sulina"] },
  { judet: "Vaslui", localitati: ["Vaslui", "Bârlad", "Huși", "Negrești", "Murgeni"] },
  { judet: "Vâlcea", localitati: ["Râmnicu Vâlcea", "Drăgășani", "Băbeni", "Horezu", "Brezoi"] },
  { judet: "Vrancea", localitati: ["Focșani", "Adjud", "Mărășești", "Panciu", "Odobești"] },
  { judet: "București", localitati: ["București"] },
];

export const FIRST_NAMES = [
  "Ion", "Gheorghe", "Vasile", "Constantin", "Nicolae", "Mihai", "Dumitru", "Ioan", "Florin", "Marian",
  "Cristian", "Adrian", "Petru", "Daniel", "Alexandru", "Ștefan", "Costel", "Viorel", "Aurel", "Radu",
  "Maria", "Elena", "Ioana", "Ana", "Mariana", "Georgeta", "Rodica", "Daniela", "Gabriela", "Cristina",
  "Mihaela", "Florentina", "Adriana", "Lucia", "Carmen", "Simona", "Alina", "Ramona", "Viorica", "Doina",
] as const;

export const SURNAMES = [
  "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei",
  "Ciobanu", "Rusu", "Munteanu", "Florea", "Dinu", "Constantin", "Mihai", "Barbu", "Tudor", "Lazăr",
  "Moldovan", "Neagu", "Ene", "Marin", "Nistor", "Ardeleanu", "Oprea", "Toma", "Dobre", "Cristea",
  "Sârbu", "Vlad", "Lungu", "Bălan", "Ursu", "Coman", "Surdu", "Petrescu", "Husar", "Manole",
] as const;

export const FARM_WORDS = [
  "Agro", "Ferma", "Câmpia", "Holda", "Spicul", "Recolta", "Brazda", "Lanul", "Bobul", "Grâul",
  "Agricola", "Cereal", "Verde", "Roua", "Pământul", "Livada", "Podgoria", "Stâna", "Valea", "Dealul",
] as const;

/** CAEN rev.2 codes of agriculture (division 01), with their Romanian names. */
export const CAEN_CODES: ReadonlyArray<readonly [string, string]> = [
  ["0111", "Cultivarea cerealelor, plantelor leguminoase și a plantelor producătoare de semințe oleaginoase"],
  ["0113", "Cultivarea legumelor și a pepenilor, a rădăcinoaselor și tuberculilor"],
  ["0119", "Cultivarea altor plante din culturi nepermanente"],
  ["0121", "Cultivarea strugurilor"],
  ["0124", "Cultivarea fructelor semințoase și sâmburoase"],
  ["0141", "Creșterea bovinelor de lapte"],
  ["0142", "Creșterea altor bovine"],
  ["0145", "Creșterea ovinelor și caprinelor"],
  ["0146", "Creșterea porcinelor"],
  ["0147", "Creșterea păsărilor"],
  ["0150", "Activități în ferme mixte (cultura vegetală combinată cu creșterea animalelor)"],
  ["0161", "Activități auxiliare pentru producția vegetală"],
];

const CUI_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

/** Romanian fiscal code (CUI) check digit over the digits without it (ANAF's 753217532 key). */
export function cuiCheckDigit(body: string): number {
  const padded = body.padStart(9, "0");
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * (CUI_KEY[i] ?? 0);
  const control = (sum * 10) % 11;
  return control === 10 ? 0 : control;
}

export function isValidCui(cui: string): boolean {
  const digits = cui.replace(/^RO/i, "");
  if (!/^\d{2,10}$/.test(digits)) return false;
  return cuiCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** ASCII slug for email local parts and domains: "Ștefan Lazăr" → "stefan.lazar". */
export function slug(text: string, separator = "."): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, "g"), "");
}
