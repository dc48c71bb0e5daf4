// Progressive enhancement only: every journey works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();
