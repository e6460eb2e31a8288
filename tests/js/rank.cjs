// Runs the widget's rank() (overrides/assets/atlas/selector.js) in Node for the parity tests:
// reads {"data": ..., "queries": [...]} on stdin, writes [ranked, can't tell] per query as JSON; a query with a
// "fit" key (a model id) is answered by fitOne, the compare page's one-model fit, instead.
const path = require("path");
const selector = require(path.join(__dirname, "..", "..", "overrides", "assets", "atlas", "selector.js"));
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { data, queries } = JSON.parse(input);
  process.stdout.write(JSON.stringify(queries.map((q) => {
    if (q.fit) {
      const { fit, ...rest } = q;
      return selector.fitOne(data, fit, rest);
    }
    return [selector.rank(data, q), selector.cantTell(data, q)];
  })));
});
