#!/usr/bin/env python3
"""Real-browser sign-in: headless Chromium opens a protected URL, signs in at the provider's
form, and must end on the app's page showing the X-Auth-Email it was given.

Usage: browser_sign_in.py URL SUBJECT EXPECTED_EMAIL SCREENSHOT_PATH [LINK_URL LINK_SUBJECT]
Prints one JSON line with the final URL and what the page showed; exits 1 on failure after
saving a screenshot to SCREENSHOT_PATH. With LINK_URL, the signed-in browser then opens it
(`/auth/OTHER?link=1&next=...`), signs in at that provider as LINK_SUBJECT, and reports the
X-Auth-User-Id and X-Auth-Identities the app sees afterwards.
"""

import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from chromium import browser


def main():
    url, subject, expected_email, screenshot = sys.argv[1:5]
    driver = browser()
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(url)
        # The gateway's sign-in page: press the provider's button.
        button = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "a.button")))
        button.click()
        # The provider's form: type the subject and authorize.
        field = wait.until(EC.presence_of_element_located((By.NAME, "sub")))
        field.send_keys(subject)
        field.submit()
        # Back through the callback to the app, which lists the headers it received.
        wait.until(EC.presence_of_element_located((By.XPATH, "//td[text()='X-Auth-Email']")))
        cells = driver.find_elements(By.XPATH, "//tr[td[1][text()='X-Auth-Email']]/td[2]")
        shown = cells[0].text if cells else ""
        user_id = driver.find_elements(By.XPATH, "//tr[td[1][text()='X-Auth-User-Id']]/td[2]")
        result = {"final_url": driver.current_url, "x_auth_email": shown,
                  "x_auth_user_id": user_id[0].text if user_id else ""}
        if len(sys.argv) > 6:
            link_url, link_subject = sys.argv[5:7]
            driver.get(link_url)
            field = wait.until(EC.presence_of_element_located((By.NAME, "sub")))
            field.send_keys(link_subject)
            field.submit()
            wait.until(EC.presence_of_element_located((By.XPATH, "//td[text()='X-Auth-Identities']")))
            cell = lambda name: driver.find_elements(By.XPATH, f"//tr[td[1][text()='{name}']]/td[2]")
            result["linked_user_id"] = cell("X-Auth-User-Id")[0].text
            result["linked_identities"] = cell("X-Auth-Identities")[0].text
            result["linked_url"] = driver.current_url
        print(json.dumps(result), flush=True)
        if shown != expected_email:
            driver.save_screenshot(screenshot)
            return 1
        return 0
    except Exception as error:  # the screenshot is the point of failing here
        driver.save_screenshot(screenshot)
        print(json.dumps({"error": repr(error), "final_url": driver.current_url}), flush=True)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
