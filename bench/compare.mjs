// Prints one table from the generator's JSON lines: each figure for every server, then the
// ratios Switchboard/reference and Switchboard/bare relay.
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const key = (r) => r.scenario + (r.metrics.offered_rate ? `@${r.metrics.offered_rate}/s` : "");
const labels = ["switchboard", "switchboard-2t", "switchboard-tls", "reference", "bare"];
const byKey = new Map();
for (const r of rows) {
    if (!byKey.has(key(r))) byKey.set(key(r), new Map());
    byKey.get(key(r)).set(r.label, r);
}
const fmt = (v) => (v === undefined ? "" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? "" : (a / b).toFixed(3));
const header = ["figure", ...labels, "sb/ref", "sb/bare"];
const table = [header];
for (const [k, runs] of byKey) {
    const names = [];
    for (const r of runs.values()) for (const n of Object.keys(r.metrics)) if (!names.includes(n)) names.push(n);
    for (const n of names) {
        const v = (l) => runs.get(l)?.metrics[n];
        const unit = [...runs.values()].find((r) => r.units[n] !== undefined)?.units[n] ?? "";
        table.push([`${k}.${n}${unit ? ` (${unit})` : ""}`, ...labels.map((l) => fmt(v(l))),
                    ratio(v("switchboard"), v("reference")), ratio(v("switchboard"), v("bare"))]);
    }
    const bad = [...runs.values()].filter((r) => r.failures > 0);
    for (const r of bad) table.push([`${k}: ${r.label} FAILED ${r.failures} checks: ${r.first_failures[0] ?? ""}`]);
}
const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
for (const row of table)
    console.log(row.map((c, i) => (i === 0 ? (c ?? "").padEnd(widths[i]) : (c ?? "").padStart(widths[i]))).join("  "));
