// The staff console in headless Chromium: live handoff from the web-chat widget to an agent and
// back, and a content manager editing, previewing and publishing a Polish answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { launchBrowser, startLoket, DATA_KEY } from "./harness.mjs";

const PASSWORD = "correct horse battery staple";

function addStaff(loket, email, name, role, queues, languages) {
  const r = spawnSync(process.env.LOKET_BINARY,
    ["staff", "add", "--email", email, "--name", name, "--role", role, "--queues", queues, "--languages", languages],
    { input: PASSWORD + "\n", env: { ...process.env, LOKET_DB: join(loket.dir, "loket.db"), LOKET_DATA_KEY: DATA_KEY } });
  assert.equal(r.status, 0, String(r.stderr));
}

async function signIn(page, url, email) {
  await page.goto(url + "/console/");
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
}

test("an agent takes over a web chat live, replies, and returns it to the bot", async () => {
  const loket = await startLoket();
  addStaff(loket, "agnieszka@loket.nl", "Agnieszka", "agent", "general", "pl,nl,en");
  const browser = await launchBrowser();
  try {
    const person = await browser.newPage();
    await person.goto(loket.url + "/");
    await person.click("[data-loket=open]");
    await person.waitForSelector(".lk-bot");
    await person.selectOption("[data-loket=language]", "pl");
    const agent = await browser.newPage();
    await signIn(agent, loket.url, "agnieszka@loket.nl");
    await agent.waitForSelector("#queue-view:not([hidden])");

    // The person asks for a person; the queue updates live (server-sent events).
    await person.fill("[data-loket=input]", "człowiek");
    await person.keyboard.press("Enter");
    const row = agent.locator("#queue-body tr");
    await row.first().waitFor({ timeout: 60000 });
    assert.match(await row.first().textContent(), /pl/);
    await person.fill("[data-loket=input]", "<img src=x onerror=alert(1)> jest tam ktoś?");
    await person.keyboard.press("Enter");

    await agent.locator("#queue-body button").first().click();
    await agent.waitForSelector("#conversation:not([hidden])");
    await agent.click("#claim");
    await agent.waitForFunction(() => /<img src=x onerror/.test(document.querySelector("#transcript").textContent));
    assert.equal(await agent.locator("#transcript img").count(), 0, "public text is rendered as text, never HTML");

    await agent.fill("#reply", "Dzień dobry, tu Agnieszka z Loket. W czym mogę pomóc?");
    await agent.click("#reply-form button[type=submit]");
    await person.waitForFunction(() => [...document.querySelectorAll(".lk-staff")].some((m) => m.textContent.includes("tu Agnieszka")),
                                 null, { timeout: 60000 });

    await agent.click("#return");
    await person.waitForFunction(() => document.querySelectorAll(".lk-bot").length > 0);
    const before = await person.locator(".lk-bot").count();
    await person.fill("[data-loket=input]", "ile wynosi płaca minimalna w holandii");
    await person.keyboard.press("Enter");
    await person.waitForFunction((n) => [...document.querySelectorAll(".lk-bot")].slice(n).some((m) => m.textContent.includes("14,")),
                                 before, { timeout: 60000 });
    await agent.screenshot({ path: process.env.SCREENSHOT || "/tmp/loket-console.png" });
  } finally {
    await browser.close();
    await loket.stop();
  }
});

test("a content manager edits the Polish answer, sees the preview, publishes, and the chat uses it", async () => {
  const loket = await startLoket();
  addStaff(loket, "cora@loket.nl", "Cora", "content-manager", "", "pl");
  const browser = await launchBrowser();
  try {
    const cm = await browser.newPage();
    await signIn(cm, loket.url, "cora@loket.nl");
    await cm.waitForSelector("#kb-view:not([hidden])");
    await cm.fill("#kb-search", "minimum-wage");
    await cm.click("[data-article='minimum-wage']");
    await cm.waitForSelector("#kb-editor:not([hidden])");
    await cm.selectOption("#kb-locale", "pl");
    const fresh = "Nowa odpowiedź: płaca minimalna od 1 lipca 2026 to 14,99 euro brutto za godzinę. Napisz 'report', aby zgłosić problem.";
    await cm.fill("#kb-answer", fresh);
    await cm.waitForFunction((t) => document.querySelector("#kb-preview").textContent === t, fresh);
    assert.equal(await cm.textContent("#kb-count"), String([...fresh].length));
    await cm.click("#kb-publish");
    // Publishing rebuilds the retrieval index: about a second in a release build, far longer under
    // ASan at -O0 beside other tests. The bound only catches a hang.
    await cm.waitForFunction(() => /Published as version \d+/.test(document.querySelector("#kb-status").textContent),
                             null, { timeout: 120000 });

    const person = await browser.newPage();
    await person.goto(loket.url + "/");
    await person.click("[data-loket=open]");
    await person.waitForSelector(".lk-bot");
    await person.selectOption("[data-loket=language]", "pl");
    await person.fill("[data-loket=input]", "ile wynosi płaca minimalna w holandii");
    await person.keyboard.press("Enter");
    await person.waitForFunction(() => [...document.querySelectorAll(".lk-bot")].some((m) => m.textContent.startsWith("Nowa odpowiedź")),
                                 null, { timeout: 60000 });
  } finally {
    await browser.close();
    await loket.stop();
  }
});
