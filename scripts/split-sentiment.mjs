// Splits the UCI Sentiment Labelled Sentences (npm sentiment@5.0.2 fixtures) into per-client
// JSON-lines files by source domain plus a held-out test set drawn from every domain.
// Usage: node split-sentiment.mjs <fixtures-dir> <out-dir> [clientsPerSource] [testPerSource] [seed]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { rng, shuffle } from "./lib/seeded.mjs";

const [fixtures, out, clientsArg = "2", testArg = "100", seedArg = "20151001"] = process.argv.slice(2);
if (!fixtures || !out) {
  console.error("usage: node split-sentiment.mjs <fixtures-dir> <out-dir> [clientsPerSource] [testPerSource] [seed]");
  process.exit(2);
}
const clientsPerSource = Number(clientsArg);
const testPerSource = Number(testArg);
const sources = ["imdb", "yelp", "amazon"];

const toLine = (e) => JSON.stringify({ text: e.text, label: e.label }) + "\n";
mkdirSync(out, { recursive: true });
const test = [];
const summary = {};
sources.forEach((source, s) => {
  const file = join(fixtures, source + ".json");
  const rows = JSON.parse(readFileSync(file, "utf8"))
    .filter((e) => typeof e.text === "string" && e.text.trim() !== "" && (e.class === 0 || e.class === 1))
    .map((e) => ({ text: e.text.trim().replace(/\s+/g, " "), label: e.class }));
  if (rows.length < testPerSource + clientsPerSource) {
    console.error(`${file}: only ${rows.length} labelled sentences`);
    process.exit(2);
  }
  shuffle(rows, rng(Number(seedArg) + s));
  test.push(...rows.slice(0, testPerSource));
  const train = rows.slice(testPerSource);
  const per = Math.floor(train.length / clientsPerSource);
  for (let c = 0; c < clientsPerSource; c++) {
    const part = train.slice(c * per, c === clientsPerSource - 1 ? train.length : (c + 1) * per);
    const name = `${source}-${c}`;
    writeFileSync(join(out, name + ".jsonl"), part.map(toLine).join(""));
    summary[name] = part.length;
  }
});
shuffle(test, rng(Number(seedArg) + 99));
writeFileSync(join(out, "test.jsonl"), test.map(toLine).join(""));
summary.test = test.length;
console.log(JSON.stringify(summary));
