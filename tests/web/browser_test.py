"""The page of `earshot serve` in real headless Chromium (Debian's chromium and chromium-driver,
driven by python3-selenium), as a user would use it: load it, pick N3, upload a corpus file, press
Play, switch A/B with the key, drag an audiogram point and see the render and the SII change, check
that every image loaded, and that the page fits a phone's width and 200 % zoom. Saves screenshots
(web_page.png, web_page_phone.png, web_electrodogram.png, web_arc.png in the working folder) and measures, for a 10 s clip, the time from
pressing Play to sound leaving the browser (render and transfer included); prints it, asserts nothing
about it. Usage: browser_test.py EARSHOT_BINARY (ctest runs it; needs EARSHOT_CORPUS)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from web_support import SKIP, Server, corpus_file

earshot = sys.argv[1]
upload_path = corpus_file("speech/cmu_arctic_aew_a0001_M_en.wav")
long_source = corpus_file("speech/librispeech_5703-47212-0000_M_en.flac")
music_path = corpus_file("music/sonicpi_guit_em9.flac")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    print("python3-selenium is not installed (scripts/setup-debian.sh installs it): browser test skipped")
    sys.exit(SKIP)
if not shutil.which("chromium") or not shutil.which("chromedriver"):
    print("chromium or chromium-driver is not installed (scripts/setup-debian.sh installs them): browser test skipped")
    sys.exit(SKIP)

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def body_data(driver, name):
    return driver.execute_script("return document.body.dataset[arguments[0]] || null", name)


def wait_for(driver, what, predicate, timeout_s=120):
    try:
        WebDriverWait(driver, timeout_s, poll_frequency=0.05).until(lambda d: predicate(d))
        return True
    except Exception:
        print("     timed out waiting for " + what + "; status: " + driver.find_element(By.ID, "status").text +
              "; the arc's status: " + driver.find_element(By.ID, "arc-status").text)
        return False


def heard_checksum(driver):
    """A sum over the render the player holds: changes when the render does."""
    return driver.execute_script("""
        const b = player.buffers.b; if (!b) return null;
        const x = b.getChannelData(b.numberOfChannels - 1); let s = 0;  // the right ear's
        for (let i = 0; i < x.length; i += 7) s += Math.abs(x[i]);
        return s;""")


tmp = tempfile.mkdtemp(prefix="earshot_browser_")
server = Server(earshot)
options = webdriver.ChromeOptions()
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--user-data-dir=" + os.path.join(tmp, "profile"), "--window-size=1200,1000",
             "--autoplay-policy=no-user-gesture-required"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(server.url)
    check(wait_for(driver, "the page to load its presets and samples", lambda d: body_data(d, "ready") == "1", 30), "the page loads")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#chart-right .point.right")) == 8 and
          len(driver.find_elements(By.CSS_SELECTOR, "#chart-left .point.left")) == 8, "two audiograms, 8 points each (O right, X left)")
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea, button, [role=slider]')]
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                       && !(e.tagName === 'BUTTON' && e.textContent.trim()) && e.type !== 'hidden')
          .map(e => e.id || e.tagName);""")
    check(unlabelled == [], "every control has a label %s" % unlabelled)

    # Pick N3: both charts show it.
    Select(driver.find_element(By.ID, "preset")).select_by_value("N3")
    check(driver.find_element(By.ID, "listener-spec").text == "N3", "N3 is the listener")
    n3_4k = driver.find_element(By.CSS_SELECTOR, '#chart-right .point[data-frequency-hz="4000"]').get_attribute("data-level-db-hl")
    check(n3_4k == "60", "the chart shows N3's 60 dB HL at 4 kHz (got %s)" % n3_4k)

    # Upload a corpus file and play it.
    driver.find_element(By.ID, "upload").send_keys(upload_path)
    check(wait_for(driver, "the upload to decode", lambda d: "cmu_arctic" in d.find_element(By.ID, "sound-name").text, 30),
          "the uploaded corpus file is chosen")
    driver.find_element(By.ID, "play").click()
    check(wait_for(driver, "the first render", lambda d: body_data(d, "renderCount") == "1"), "Play renders it for N3")
    state = driver.execute_script("return [player.playing, player.ctx.state, player.heard]")
    check(state[0] and state[1] == "running" and state[2], "it plays (AudioContext %s), as the listener hears it" % state[1])
    p0 = driver.execute_script("return player.position()")
    time.sleep(0.4)
    p1 = driver.execute_script("return player.position()")
    check(p1 > p0, "the sound moves on (%.2f s -> %.2f s)" % (p0, p1))

    # A/B with one key: the same sources keep playing, only the gains move.
    sources_before = driver.execute_script("window.__sources = player.sources; return player.sources.length")
    driver.find_element(By.TAG_NAME, "body").send_keys("t")
    after = driver.execute_script("return [player.heard, player.sources === window.__sources, player.gainA.gain.value, player.position()]")
    check(after[0] is False and after[1] and sources_before == 2, "key T switches to 'as recorded' on the same running sources")
    time.sleep(0.1)
    gains = driver.execute_script("return [player.gainA.gain.value, player.gainB.gain.value]")
    check(gains[0] > 0.9 and gains[1] < 0.1, "'as recorded' is heard and the render is silent (gains %.2f, %.2f)" % tuple(gains))
    check(after[3] >= p1, "the switch keeps the moment in the sound (%.2f s)" % after[3])
    driver.find_element(By.TAG_NAME, "body").send_keys("t")
    check(driver.find_element(By.ID, "ab").get_attribute("aria-pressed") == "true", "key T switches back")

    check(wait_for(driver, "the scores", lambda d: body_data(d, "siiLeft") is not None), "SII and STOI are shown")
    sii_before = float(body_data(driver, "siiLeft"))
    sum_before = heard_checksum(driver)

    # Drag the right ear's 4 kHz point down (more loss): a new render and a lower SII.
    point = driver.find_element(By.CSS_SELECTOR, '#chart-right .point[data-frequency-hz="2000"]')
    ActionChains(driver).move_to_element(point).click_and_hold().move_by_offset(0, 60).release().perform()
    new_level = float(point.get_attribute("data-level-db-hl"))
    spec = driver.find_element(By.ID, "listener-spec").text
    check(new_level > 50 and spec.startswith("left=N3,right=250:"), "the drag lowered the point to %.0f dB HL: %s" % (new_level, spec))
    check(wait_for(driver, "the second render", lambda d: body_data(d, "renderCount") == "2"), "the drag renders again")
    check(wait_for(driver, "the new scores", lambda d: body_data(d, "scoredKey", ) and spec in body_data(d, "scoredKey")),
          "and scores again")
    sii_after_right = float(body_data(driver, "siiRight"))
    sum_after = heard_checksum(driver)
    check(sum_after != sum_before, "the render changed (sum |x| %.3f -> %.3f)" % (sum_before, sum_after))
    check(sii_after_right < sii_before, "the right ear's SII fell with the drag: %.3f -> %.3f" % (sii_before, sii_after_right))
    # Keyboard: the focused point moves with the arrow keys.
    point.send_keys("\ue013")  # ArrowUp: 5 dB less loss
    check(float(point.get_attribute("data-level-db-hl")) == new_level - 5, "ArrowUp on a point lowers its threshold by 5 dB")
    point.send_keys("\ue015")  # ArrowDown: back, before the edit's render is due (none is needed)
    check(float(point.get_attribute("data-level-db-hl")) == new_level, "ArrowDown puts it back")

    # A hearing aid (issue 16): NAL-R with compression on both (acoustic) ears renders again, the
    # scores add an aided row per ear with a higher SII, and the report shows unaided and aided.
    Select(driver.find_element(By.ID, "aid-rule")).select_by_value("nal-r")
    driver.find_element(By.ID, "aid-wdrc").click()
    check(wait_for(driver, "the aided render", lambda d: body_data(d, "renderCount") == "3"), "choosing an aid renders again")
    check(wait_for(driver, "the aided scores", lambda d: "nal-r,wdrc" in (body_data(d, "scoredKey") or "") and body_data(d, "aidedSiiLeft")),
          "and scores the aided ears")
    aided_sii, unaided_sii = float(body_data(driver, "aidedSiiLeft")), float(body_data(driver, "siiLeft"))
    check(aided_sii > unaided_sii, "the aided left ear's SII is above the unaided: %.3f > %.3f" % (aided_sii, unaided_sii))
    check(len(driver.find_elements(By.CSS_SELECTOR, '#scores tr[data-condition="aided"]')) >= 1, "the scores table has an aided row")
    check(wait_for(driver, "the aided report", lambda d: d.execute_script(
        "const f = document.getElementById('report').contentDocument; return f && f.body && f.querySelector('[data-aided-sii]') !== null"), 60),
        "the report shows each ear unaided and aided")

    # Every image: the report's (spectrograms) and the page's.
    check(wait_for(driver, "the report", lambda d: d.execute_script(
        "const f = document.getElementById('report').contentDocument; return f && f.body && f.body.dataset.imagesTotal"), 30),
        "the report is shown")
    images = driver.execute_script("""
        const docs = [document, document.getElementById('report').contentDocument];
        // (an image not yet given its picture, as the arc's before it is rendered, is not counted)
        const all = docs.flatMap(d => [...d.images]).filter(i => i.getAttribute('src'));
        return [all.length, all.filter(i => i.complete && i.naturalWidth > 0).length,
                document.getElementById('report').contentDocument.querySelectorAll('svg').length];""")
    check(images[0] >= 2 and images[0] == images[1], "every image loaded (%d of %d)" % (images[1], images[0]))
    check(images[2] >= 2, "the report shows the audiograms with the speech range (%d charts)" % images[2])
    for link in ["download-render", "download-report"]:
        href = driver.find_element(By.ID, link).get_attribute("href")
        check(href and href.startswith("blob:"), "%s is ready" % link)

    # Screenshot of the whole page, once the render and scores for the last edit are in.
    wait_for(driver, "the last edit's scores", lambda d: body_data(d, "rendering") == "0" and
             d.find_element(By.ID, "listener-spec").text in (body_data(d, "scoredKey") or ""))
    wait_for(driver, "the last report", lambda d: d.execute_script(
        "const f = document.getElementById('report').contentDocument; return f && f.body && f.body.dataset.imagesLoaded"), 30)
    driver.execute_script("player.pause(); document.querySelector('.player button').focus({preventScroll: true}); window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1200, min(height + 100, 6000))
    driver.save_screenshot("web_page.png")
    # A phone (390 CSS px, 3 device pixels each) and 200 % zoom of a 1200 px window (600 CSS px, 2
    # device pixels each), emulated by Chromium itself: nothing may be wider than the screen.
    for width, scale, mobile, what, shot in [(390, 3, True, "a phone's width (390 px)", "web_page_phone.png"),
                                             (600, 2, False, "200 % zoom (600 CSS px)", None)]:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 1400, "deviceScaleFactor": scale, "mobile": mobile})
        time.sleep(0.3)
        wide = driver.execute_script("""
            const w = document.documentElement.clientWidth;
            return [document.documentElement.scrollWidth - w,
                    [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
                                                                        || e.scrollWidth > e.clientWidth + 1)
                      .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + e.scrollWidth + '/' + e.clientWidth).slice(0, 8)];""")
        check(wide[0] <= 0, "the page fits %s (%d px too wide %s)" % (what, wide[0], wide[1]))
        if shot:
            driver.save_screenshot(shot)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(1200, 1000)

    # Age, sex and percentile with noise at work (ISO 7029, ISO 1999): the spec the inputs make,
    # its audiogram on both charts, and a render for it.
    renders_before = int(body_data(driver, "renderCount"))
    driver.find_element(By.CSS_SELECTOR, "#by-age summary").click()
    for field, value in [("age-years", "75"), ("noise-dba", "95"), ("noise-years", "20")]:
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    Select(driver.find_element(By.ID, "age-percentile")).select_by_value("p90")
    driver.find_element(By.ID, "noise-on").click()
    driver.find_element(By.ID, "age-use").click()
    aged = "noise:95dBA:20y:age:75:female:p90"
    check(wait_for(driver, "the aged listener", lambda d: d.find_element(By.ID, "listener-spec").text == aged, 10),
          "the age, sex, percentile and noise inputs make %s" % aged)
    aged_4k = [float(driver.find_element(By.CSS_SELECTOR, '#chart-%s .point[data-frequency-hz="4000"]' % side).get_attribute("data-level-db-hl"))
               for side in ("right", "left")]
    aged_500 = float(driver.find_element(By.CSS_SELECTOR, '#chart-right .point[data-frequency-hz="500"]').get_attribute("data-level-db-hl"))
    check(aged_4k[0] == aged_4k[1] and aged_4k[0] > aged_500 + 20,
          "both charts show the aged, noise-exposed ear: %.1f dB HL at 4 kHz, %.1f at 500 Hz" % (aged_4k[0], aged_500))
    check(wait_for(driver, "the aged listener's render", lambda d: int(body_data(d, "renderCount")) > renders_before), "it renders")
    driver.find_element(By.ID, "age-years").clear()
    driver.find_element(By.ID, "age-years").send_keys("12")
    driver.find_element(By.ID, "age-use").click()
    refusal = wait_for(driver, "the refusal", lambda d: "18" in d.find_element(By.ID, "age-message").text, 10)
    check(refusal and driver.find_element(By.ID, "listener-spec").text == aged,
          "an age of 12 is refused in one line (%s) and the listener stays" % driver.find_element(By.ID, "age-message").text)

    # An implant: its electrodogram appears, its picture (with its own axes and colour bar, 1000 px
    # wide) loads, and the page draws no second set of axes around it.
    Select(driver.find_element(By.ID, "preset")).select_by_value("ci:nucleus-ace")
    check(wait_for(driver, "the implant's electrodogram", lambda d: d.execute_script(
        "const f = document.getElementById('electrodogram'); const i = f.querySelector('img');"
        "return !f.hidden && i && i.complete && i.naturalWidth === 1000 && !f.querySelector('.dogram-xaxis, .dogram-ylabel')")),
        "ci:nucleus-ace shows its electrodogram picture, axes its own")
    driver.find_element(By.ID, "electrodogram").screenshot("web_electrodogram.png")

    # The café sample decodes in the browser, and the film's arc over it renders: its player holds
    # the arc's 62 s, its timeline picture loads with a time axis, and the marker follows the player.
    driver.find_element(By.ID, "sample-voice_in_cafe").click()
    check(wait_for(driver, "the café to decode", lambda d: "café" in d.find_element(By.ID, "sound-name").text, 30),
          "the voice in a café is chosen and decodes: " + driver.find_element(By.ID, "sound-name").text)
    driver.find_element(By.ID, "arc-render").click()
    check(wait_for(driver, "the arc", lambda d: d.execute_script(
        "const f = document.getElementById('arc'), i = document.getElementById('arc-timeline'), a = document.getElementById('arc-player');"
        "return !f.hidden && i.complete && i.naturalWidth === 1100 && Math.abs(a.duration - 62) < 0.1"
        " && !f.querySelector('.arc-axis')"), 240),
        "the arc renders: a 62 s player, its timeline picture (1100 px wide, its own axes) loaded")
    driver.execute_script("document.getElementById('arc-player').currentTime = 31")
    # The picture's time axis runs from 160 px to 990 px of its 1100 (report/scene_timeline_chart.hpp,
    # the page's --width): 31 s of 62 is at 575 px.
    marker = wait_for(driver, "the arc's marker", lambda d: d.execute_script(
        "const m = document.getElementById('arc-marker').getBoundingClientRect(), i = document.getElementById('arc-timeline').getBoundingClientRect();"
        "return Math.abs((m.left - i.left) / i.width - 575 / 1100) < 0.005"), 10)
    check(marker, "the arc's marker is at the middle of the picture's time axis when the player is at 31 s of 62")
    driver.find_element(By.ID, "arc").screenshot("web_arc.png")

    # Press-play-to-sound for 10 s clips, as a new visitor meets it: a fresh page, N3, the file,
    # Play; render, transfer and decoding included. Speech: the first 10 s of a LibriSpeech file
    # (16 kHz mono); music: a 10 s guitar loop (44.1 kHz stereo, so both ears render).
    clip = os.path.join(tmp, "librispeech_10s.wav")
    subprocess.run(["sox", long_source, clip, "trim", "0", "10"], check=True)
    for path, what in [(clip, "10 s speech clip (16 kHz mono)"), (music_path, "10 s music clip (44.1 kHz stereo)")]:
        driver.get(server.url)
        wait_for(driver, "the page to load again", lambda d: body_data(d, "ready") == "1", 30)
        Select(driver.find_element(By.ID, "preset")).select_by_value("N3")
        driver.find_element(By.ID, "upload").send_keys(path)
        name = os.path.splitext(os.path.basename(path))[0]
        wait_for(driver, what, lambda d: name in d.find_element(By.ID, "sound-name").text, 30)
        driver.find_element(By.ID, "play").click()
        wait_for(driver, what + "'s render", lambda d: body_data(d, "playToSoundMs"))
        print("press Play to sound, %s, N3 (render + transfer + decode): %s ms" % (what, body_data(driver, "playToSoundMs")))
        check(body_data(driver, "renderCount") == "1" and driver.execute_script("return player.playing"), "the %s renders and plays" % what)
    logs = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    check(not logs, "no errors in the browser's console %s" % [e["message"][:120] for e in logs])
finally:
    driver.quit()
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
