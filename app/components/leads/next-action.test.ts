import { describe, expect, it } from "vitest";
import { translate, type MessageKey, type Translate } from "~/lib/i18n";
import { nextActionReasonText } from "./next-action";

const tFor = (locale: "ro" | "en") => ((key: MessageKey, params?: Readonly<Record<string, string | number>>) => translate(locale, key, params)) as Translate;
const ro = (reason: string) => nextActionReasonText(reason, tFor("ro"));
const en = (reason: string) => nextActionReasonText(reason, tFor("en"));

describe("the next action's reason in the reader's language", () => {
  it("translates the notes the automation writes", () => {
    expect(ro("sequence finished")).toBe("Secvența s-a încheiat");
    expect(ro("no usable channel")).toBe("Niciun canal utilizabil");
    expect(ro("sequence step 3")).toBe("Pasul 3 al secvenței");
    expect(ro("waiting for the lead's phone to be ACTIVE")).toBe("Se așteaptă ca telefonul lead-ului să fie activ");
    expect(ro("WhatsApp send queued on phone 6f1c2a90-0000-4000-8000-000000000001")).toBe("Trimitere WhatsApp în coadă");
    expect(ro("EMAIL_COLD send queued")).toBe("Trimitere e-mail în coadă");
    expect(en("sequence step 2")).toBe("Sequence step 2");
  });

  it("names the state of a person's change and keeps their words", () => {
    expect(ro("state PAUSED: Revenim după recoltare")).toBe("În pauză: Revenim după recoltare");
    expect(en("state DEAD: Nu este interesat")).toMatch(/: Nu este interesat$/);
  });

  it("shows any other note as written", () => {
    expect(ro("WHATSAPP unusable and the step has no fallback template")).toBe("WHATSAPP unusable and the step has no fallback template");
    expect(ro("state SOMETHING: x")).toBe("state SOMETHING: x");
  });
});
