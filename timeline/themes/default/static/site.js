// The interface's words in the page's language, which base.html writes from the theme's message
// catalogues: `timelineText(key, values)` fills a message's {placeholders} (numbers in the
// language's digits) and, for a message with plural forms, picks the one for `values.num`.
const timelineMessages = JSON.parse(document.getElementById("timeline-messages")?.textContent || "{}");
const timelineLocale = timelineMessages.locale || document.documentElement.lang || "en";
const timelinePlurals = new Intl.PluralRules(timelineLocale);
window.timelineLocale = timelineLocale;
window.timelineText = (key, values = {}) => {
  let message = timelineMessages[key] ?? key;
  if (typeof message === "object") message = message[timelinePlurals.select(values.num)] ?? message.other;
  return message.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? value.toLocaleString(timelineLocale) : value;
  });
};

// Progressive enhancement for every page: the header search box needs JavaScript (its results
// page does), so it is revealed only when scripts run; without them the navigation links to the
// browse pages remain.
for (const form of document.querySelectorAll("[data-site-search]")) {
  form.hidden = false;
}

// Copy buttons for the citation forms: added only when scripts and the clipboard are there.
if (navigator.clipboard) {
  for (const block of document.querySelectorAll("[data-copy-source]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = timelineText("copy");
    const label = block.getAttribute("aria-labelledby");
    const heading = label && document.getElementById(label);
    if (heading) button.setAttribute("aria-label", timelineText("copy_named", { name: heading.textContent }));
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(block.textContent);
      button.textContent = timelineText("copied");
      setTimeout(() => (button.textContent = timelineText("copy")), 2000);
    });
    block.after(button);
  }
}
