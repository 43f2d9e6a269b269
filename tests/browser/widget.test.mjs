// The web-chat widget in headless Chromium: open, ask in Polish, get the answer, pick a choice,
// switch to Arabic and see a right-to-left layout; no request leaves the Loket server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, startLoket } from "./harness.mjs";

test("the widget answers in Polish, takes a choice and switches to Arabic RTL", async () => {
  const loket = await startLoket();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const foreign = [];
    page.on("request", (r) => { if (!r.url().startsWith(loket.url)) foreign.push(r.url()); });
    await page.goto(loket.url + "/");
    await page.click("[data-loket=open]");
    await page.waitForSelector(".lk-bot");  // the welcome and menu
    await page.selectOption("[data-loket=language]", "pl");
    await page.fill("[data-loket=input]", "ile wynosi płaca minimalna w holandii");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => [...document.querySelectorAll(".lk-bot")].some((m) => m.textContent.includes("14,")));
    const answer = await page.locator(".lk-bot").allTextContents();
    assert.ok(answer.some((t) => /płac|minimaln/i.test(t)), "a Polish answer about the minimum wage");

    // Pick a choice: "Read more" of the answer.
    const before = await page.locator(".lk-bot").count();
    await page.locator("[data-choice^='more:']").last().click();
    await page.waitForFunction((n) => document.querySelectorAll(".lk-bot").length > n, before);

    // Switch to Arabic: the panel turns right-to-left and the bot writes Arabic.
    await page.selectOption("[data-loket=language]", "ar");
    await page.waitForFunction(() => document.querySelector(".lk-panel").getAttribute("dir") === "rtl");
    await page.waitForFunction(() => /[\u0600-\u06FF]/.test([...document.querySelectorAll(".lk-bot")].pop().textContent));
    const dir = await page.getAttribute(".lk-panel", "dir");
    assert.equal(dir, "rtl");
    await page.screenshot({ path: process.env.SCREENSHOT || "/tmp/loket-widget.png" });
    // Keyboard: Escape closes the chat and focus returns to the button.
    await page.keyboard.press("Escape");
    assert.equal(await page.getAttribute("[data-loket=open]", "aria-expanded"), "false");
    assert.deepEqual(foreign, [], "no third-party requests");
  } finally {
    await browser.close();
    await loket.stop();
  }
});
