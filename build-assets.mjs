// Builds elearn/static/dist from GOV.UK Frontend: compiled CSS, the JS bundle and images.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "elearn/static/dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = sass.compile("elearn/static/src/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "mixed-decls", "global-builtin"],
});
writeFileSync(`${out}/app.css`, result.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/assets/images`, { recursive: true });
cpSync("elearn/static/src/init.js", `${out}/init.js`);
console.log(`Built ${out}/app.css (${result.css.length} bytes) and scripts`);
