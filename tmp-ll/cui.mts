import { cuiCheckDigit, isValidCui } from "../server/leads/cui";
for (const c of ["14399840", "18547290", "RO 1439984 0", "14399841", "1", "4", "0123"]) console.log(c, isValidCui(c));
console.log(cuiCheckDigit("1439984"));
