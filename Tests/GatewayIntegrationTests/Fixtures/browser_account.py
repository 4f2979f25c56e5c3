#!/usr/bin/env python3
"""The account page in headless Chromium: sign in with A, link B, see both, unlink B (which
signs this browser out, as it signed in with B), sign in with A again, and sign out the other
client's session from the page. Also checks what the page offers assistive technology: the
lang attribute, headings, buttons in forms with names, focus order (Tab through the page) and
the contrast of every text colour used.

Usage: browser_account.py BASE_URL SUB_A SUB_B SCREENSHOT_PATH
Prints one JSON line with what it saw; exits 1 on failure after saving a screenshot.
"""

import json
import re
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from chromium import browser


def rgba(text):
    parts = [float(p) for p in re.findall(r"[\d.]+", text)]
    return parts + [1.0] * (4 - len(parts))


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(element):
    """The WCAG contrast of an element's text against the first opaque background behind it."""
    fg = rgba(element.value_of_css_property("color"))
    node, bg = element, [255, 255, 255, 1]
    for _ in range(20):
        colour = rgba(node.value_of_css_property("background-color"))
        if colour[3] > 0:
            bg = colour
            break
        if node.tag_name == "html":
            break
        node = node.find_element(By.XPATH, "..")
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class Run:
    def __init__(self, driver, base):
        self.driver, self.base = driver, base
        self.wait = WebDriverWait(driver, 20)

    def at_provider(self, subject):
        field = self.wait.until(EC.presence_of_element_located((By.NAME, "sub")))
        field.send_keys(subject)
        self.driver.find_element(By.XPATH, "//button[normalize-space()='Authorize']").click()

    def on_account(self):
        self.wait.until(EC.presence_of_element_located((By.XPATH, "//h1[text()='Your account']")))
        assert self.driver.current_url.startswith(self.base + "/auth/account"), self.driver.current_url

    def sign_in(self, provider, subject):
        self.wait.until(EC.presence_of_element_located((By.XPATH, "//h1[text()='Sign in']")))
        assert "next=%2Fauth%2Faccount" in self.driver.current_url, self.driver.current_url
        self.driver.find_element(By.LINK_TEXT, "Sign in with " + provider).click()
        self.at_provider(subject)
        self.on_account()

    def identities(self):
        rows = self.driver.find_elements(By.XPATH, "//section[@aria-labelledby='identities']//tbody/tr")
        return [{"provider": r.find_element(By.XPATH, "th").text,
                 "email": r.find_elements(By.XPATH, "td")[1].text} for r in rows]

    def sessions(self):
        rows = self.driver.find_elements(By.XPATH, "//section[@aria-labelledby='sessions']//tbody/tr")
        return [{"text": r.text, "current": "(this session)" in r.text} for r in rows]

    def accessibility(self):
        d = self.driver
        report = {"lang": d.find_element(By.TAG_NAME, "html").get_attribute("lang"),
                  "h1": len(d.find_elements(By.TAG_NAME, "h1")),
                  "h2": [h.text for h in d.find_elements(By.TAG_NAME, "h2")],
                  "scripts": len(d.find_elements(By.TAG_NAME, "script")),
                  "positive_tabindex": len(d.find_elements(By.XPATH, "//*[@tabindex > 0]"))}
        buttons = d.find_elements(By.TAG_NAME, "button")
        report["buttons_outside_forms"] = len(d.find_elements(By.XPATH, "//button[not(ancestor::form)]"))
        report["buttons_without_names"] = len([b for b in buttons if not b.text.strip()])
        report["buttons_not_submit"] = len([b for b in buttons if b.get_attribute("type") != "submit"])
        focusable = d.find_elements(By.CSS_SELECTOR, "a[href], button")
        expected = [f.text for f in focusable]
        d.find_element(By.TAG_NAME, "body").click()
        seen = []
        for _ in range(len(focusable)):
            ActionChains(d).send_keys(Keys.TAB).perform()
            seen.append(d.switch_to.active_element.text)
        report["focus_order_matches_dom"] = seen == expected
        report["focus_order"] = seen
        ratios = []
        for selector in ("body", "h1", "h2", "th", "td", "button", "a.button", ".note", ".ok", ".no", ".current"):
            for element in d.find_elements(By.CSS_SELECTOR, selector):
                ratios.append(round(contrast(element), 2))
        report["min_contrast"] = min(ratios) if ratios else 0
        return report


def main():
    base, sub_a, sub_b, screenshot = sys.argv[1:5]
    driver = browser()
    run = Run(driver, base)
    result = {}
    try:
        driver.get(base + "/auth/account")
        run.sign_in("Alpha", sub_a)
        result["first"] = {"identities": run.identities(), "sessions": run.sessions()}
        result["a11y"] = run.accessibility()

        driver.find_element(By.LINK_TEXT, "Link Beta").click()
        run.at_provider(sub_b)
        run.on_account()
        result["linked"] = {"identities": run.identities(), "sessions": run.sessions()}

        driver.find_element(By.XPATH, "//button[normalize-space()='Unlink Beta']").click()
        run.sign_in("Alpha", sub_a)  # Beta vouched for this session: unlinking it signed us out
        result["unlinked"] = {"identities": run.identities(), "sessions": run.sessions(),
                              "link_beta_offered": len(driver.find_elements(By.LINK_TEXT, "Link Beta"))}

        other = driver.find_element(
            By.XPATH, "//section[@aria-labelledby='sessions']//tbody/tr[not(contains(., '(this session)'))]"
                      "//button[normalize-space()='Sign out this session']")
        other.click()
        # The page being left has the same heading: wait until it is gone, or the rows read
        # next may be the old page's, going stale under the reader.
        run.wait.until(EC.staleness_of(other))
        run.on_account()
        result["after_sign_out"] = {"sessions": run.sessions(),
                                    "only": "This is your only active session." in driver.page_source}
        print(json.dumps(result), flush=True)
        return 0
    except Exception as error:  # the screenshot is the point of failing here
        driver.save_screenshot(screenshot)
        result.update({"error": repr(error), "final_url": driver.current_url})
        print(json.dumps(result), flush=True)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
