// Malay or Indonesian. eld knows only Malay and answers "ms" for Indonesian too; tinyld and franc know
// Indonesian but not Malay (tinyld) or confuse the two on short text (franc, see bench/langid). The two
// standards differ in a few frequent words and spellings, so counting those decides; a tie goes to
// Indonesian, the larger language and the one the benchmark data covers (Malay is not measured there).

const INDONESIAN = new Set([
  "bahwa", "karena", "mau", "paham", "pikir", "coba", "uang", "kantor", "mobil", "pemerintah", "harus",
  "saja", "bisa", "kamu", "kalian", "nggak", "gak", "enggak", "universitas", "polisi", "sepeda", "apakah",
  "banget", "gimana", "kirim", "tolong", "silakan", "berbeda", "ide", "sekolah", "cuma",
]);
const MALAY = new Set([
  "bahawa", "kerana", "mahu", "faham", "fikir", "cuba", "wang", "pejabat", "kereta", "kerajaan", "mesti",
  "sahaja", "boleh", "awak", "tak", "nak", "universiti", "polis", "basikal", "hantar", "sila", "berbeza",
  "idea", "percuma", "kenderaan", "cakap", "beliau", "ialah",
]);

export function malayOrIndonesian(text: string): "ms" | "id" {
  let id = 0;
  let ms = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (INDONESIAN.has(word)) id++;
    else if (MALAY.has(word)) ms++;
  }
  return ms > id ? "ms" : "id";
}
