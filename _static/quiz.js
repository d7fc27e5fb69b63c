/* Quizzes: each "Check your understanding" question answers the reader in the page.
 *
 * A question is an admonition of class bp-quiz: its text, a numbered list of choices
 * (or none, for a number to type), and a dropdown whose first bold words give the
 * answer ("Answer: 2." for the second choice, "Answer: 0.33" for a number, to the
 * precision written). Without this script the question still reads, and the dropdown
 * still opens; with it, the choices become buttons, or a box takes the number, and the
 * reader is told at once whether the answer is right, the explanation opening when it
 * is. No request leaves the page.
 */
(function () {
  "use strict";

  function answerOf(quiz) {
    const strong = quiz.querySelector("details strong, .sd-dropdown strong");
    const match = strong && strong.textContent.match(/Answer:\s*([−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?)/i);
    return match ? match[1].replace("−", "-") : null;
  }

  // a number written with d decimals is right within half a unit of the last one
  function tolerance(written) {
    const [mantissa, exponent = "0"] = written.toLowerCase().split("e");
    const decimals = (mantissa.split(".")[1] || "").length;
    return decimals ? 0.5 * 10 ** (Number(exponent) - decimals) : 1e-9;
  }

  function say(quiz, right, text) {
    const status = quiz.querySelector(".bp-quiz-status");
    status.textContent = text;
    status.className = `bp-quiz-status ${right ? "bp-quiz-right" : "bp-quiz-wrong"}`;
    if (right) quiz.querySelector("details").open = true;
  }

  function status() {
    const p = document.createElement("p");
    p.className = "bp-quiz-status";
    p.setAttribute("role", "status");
    return p;
  }

  function choices(quiz, list, answer) {
    [...list.children].forEach((item, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "bp-quiz-choice";
      button.append(...item.childNodes);
      item.append(button);
      button.addEventListener("click", () => {
        const right = index + 1 === Number(answer);
        item.classList.toggle("bp-quiz-chosen-right", right);
        item.classList.toggle("bp-quiz-chosen-wrong", !right);
        say(quiz, right, right ? "Right." : "Not this one: think again, or open the answer.");
      });
    });
    list.after(status());
  }

  function numberBox(quiz, answer) {
    const form = document.createElement("form");
    form.className = "bp-quiz-number";
    form.innerHTML = '<label>Your answer: <input type="text" inputmode="decimal" ' +
      'autocomplete="off"></label> <button type="submit">Check</button>';
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = form.querySelector("input").value.trim().replace("−", "-").replace(",", ".");
      const value = Number(typed);
      if (typed === "" || Number.isNaN(value)) {
        say(quiz, false, "Type a number, such as 0.5 or -2.");
        return;
      }
      const right = Math.abs(value - Number(answer)) <= tolerance(answer);
      say(quiz, right, right ? "Right." : "Not quite: think again, or open the answer.");
    });
    quiz.querySelector("details").before(form, status());
  }

  function setUp() {
    for (const quiz of document.querySelectorAll(".admonition.bp-quiz")) {
      const answer = answerOf(quiz);
      if (answer === null) continue;
      const list = quiz.querySelector(":scope > ol");
      if (list) choices(quiz, list, answer);
      else numberBox(quiz, answer);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
