import { describe, expect, it } from "vitest";
import { extractSuggestedContact, understandReply } from "../../server/replies/understanding";

const NOW = new Date("2026-03-02T08:00:00.000Z");

describe("contact named by a WRONG_PERSON reply", () => {
  it.each([
    ["Nu eu mă ocup de achiziții, vorbiți cu fiul meu, Andrei.", { name: "Andrei", role: "fiul" }],
    ["Dați mail la office@agro.ro, acolo răspunde colega.", { email: "office@agro.ro" }],
    ["Sunați-l pe domnul Popescu la 0722 123 456, el decide.", { name: "Popescu", phone: "+40722123456" }],
    ["Nu mă ocup eu de asta, vorbiţi cu fiica mea, Elena: 0746 112 233.", { name: "Elena", role: "fiica", phone: "+40746112233" }],
    ["Administratorul e fratele meu, Ion Marinescu, 0733 444 555.", { name: "Ion Marinescu", phone: "+40733444555" }],
    ["Eu doar lucrez aici. Vorbiti cu seful, dl. Stanciu.", { name: "Stanciu", role: "șeful" }],
    ["Contactati-o pe doamna Ionescu de la contabilitate, 0241 600 700.", { name: "Ionescu", phone: "+40241600700" }],
    ["Responsabilul cu aprovizionarea este Mihai Georgescu, mihai.georgescu@agrocom.ro", { name: "Mihai Georgescu", email: "mihai.georgescu@agrocom.ro" }],
    ["S-a pensionat domnul Vlad, acum de firmă se ocupă nepotul lui, Radu.", { name: "Radu", role: "nepotul" }],
    ["De semințe se ocupă colegul meu, vă dau numărul: 0755-123-456, Bogdan.", { name: "Bogdan", phone: "+40755123456" }],
    ["I'm just the accountant, you need to speak with John, our manager, at +40 744 100 200.", { name: "John", role: "managerul", phone: "+40744100200" }],
    ["Please contact our farm manager Dan at DAN.PETRE@agrovest.ro", { name: "Dan", email: "dan.petre@agrovest.ro" }],
  ])("%s", (text, expected) => {
    expect(extractSuggestedContact(text)).toMatchObject(expected);
  });

  it("does not take the speaker's own role or the retired person for the suggestion", () => {
    const c = extractSuggestedContact("Eu sunt doar contabila. Luati legatura cu domnul administrator, Ionescu Gheorghe, 0235 412 118");
    expect(c).toEqual({ name: "Ionescu Gheorghe", role: "administratorul", phone: "+40235412118" });
  });

  it("is part of the understanding only for WRONG_PERSON, and the sender's signature never counts", () => {
    const wrong = understandReply({ text: "Vorbiți cu fiul meu, Andrei, la 0722 123 456.", channel: "WHATSAPP", now: NOW });
    expect(wrong.intent).toBe("WRONG_PERSON");
    expect(wrong.suggestedContact).toEqual({ name: "Andrei", role: "fiul", phone: "+40722123456" });
    const interested = understandReply({ text: "Da, sunați-mă la 0744 555 666.", channel: "WHATSAPP", now: NOW });
    expect(interested.intent).toBe("INTERESTED");
    expect(interested.suggestedContact).toBeNull();
    const signed = understandReply({
      text: "Nu mă ocup eu de achiziții, vorbiți cu fiul meu, Andrei.\n\nCu stimă,\nIon Popescu\nTel: 0744 000 111",
      channel: "EMAIL_COLD",
      now: NOW,
    });
    expect(signed.suggestedContact).toEqual({ name: "Andrei", role: "fiul" });
  });
});
