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
    button.textContent = "Copy";
    const label = block.getAttribute("aria-labelledby");
    const heading = label && document.getElementById(label);
    if (heading) button.setAttribute("aria-label", `Copy ${heading.textContent}`);
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(block.textContent);
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy"), 2000);
    });
    block.after(button);
  }
}
