// Progressive enhancement only: every journey works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();

// A prepared file's page: while the file is being prepared, fetch the page again every few seconds and
// update its status region (role="status", so the change is announced); "Check again" works without this.
const waiting = document.querySelector("[data-app-poll]");
if (waiting) {
  let tries = 0;
  const check = async () => {
    tries += 1;
    try {
      const response = await fetch(waiting.dataset.appPoll, { credentials: "same-origin" });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.getElementById(waiting.id);
        if (fresh && !fresh.hasAttribute("data-app-poll")) {
          waiting.innerHTML = fresh.innerHTML;
          waiting.removeAttribute("data-app-poll");
          document.title = page.title;
          return;
        }
      }
    } catch {
      // offline for a moment: try again later
    }
    if (tries < 200) setTimeout(check, 3000);
  };
  setTimeout(check, 2000);
}
