// Runs the widget's rank() (overrides/assets/atlas/selector.js) in Node for the parity tests:
// reads {"data": ..., "queries": [...]} on stdin, writes [ranked, can't tell] per query as JSON.
const path = require("path");
const selector = require(path.join(__dirname, "..", "..", "overrides", "assets", "atlas", "selector.js"));
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { data, queries } = JSON.parse(input);
  process.stdout.write(JSON.stringify(queries.map((q) => [selector.rank(data, q), selector.cantTell(data, q)])));
});
