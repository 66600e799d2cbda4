// The one place the simulator meets @tinyssb/pacing: the real pacing of the faces and the LoRa
// airtime formula, never a copy.
export { pacedFace, loraAirtimeMs, LORA_PACING, KISS_PACING, type PacedFace } from '@tinyssb/pacing'
