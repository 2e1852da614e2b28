// Testbench of sp_imc_macro.sv against the files `imc-sim export-rtl` writes (../docs/RTL-EXPORT.md).
// Run it in the export folder (the `.mem` files are read from the working directory):
//   iverilog -g2012 -I EXPORT -o tb.vvp rtl/tb_sp_imc_macro.sv rtl/sp_imc_macro.sv && (cd EXPORT && vvp ../tb.vvp)
// (`imc-sim export-rtl … --verify` does exactly this.) For every load it writes the array image and
// the slots' registers into the macro, decodes, streams every input vector's bit-planes and compares
// each slot's partial sum with the expected one; it adds the partial sums into the outputs, compares
// the load's compute cycles, and at the end every output. It prints one summary line, starting
// `RTL-CHECK PASS` or `RTL-CHECK FAIL`, after at most 10 lines naming mismatches.
`timescale 1ns / 1ps
`include "params.vh"

module tb_sp_imc_macro;
  localparam integer R = `IMC_R, C = `IMC_C, E = `IMC_E, BW = `IMC_BW, FORMAT = `IMC_FORMAT;
  localparam integer NM_N = `IMC_NM_N, NM_M = `IMC_NM_M, K = `IMC_K, N = `IMC_N, B = `IMC_B;
  localparam integer L = `IMC_L, BX = `IMC_BX, SIGNED_IN = `IMC_SIGNED_IN, SKIP = `IMC_SKIP, LOADS = `IMC_LOADS;

  reg              clk = 0;
  reg              we = 0, slot_we = 0, decode = 0, clear = 0, plane_valid = 0;
  reg  [31:0]      waddr = 0, slot_idx = 0, slot_base = 0, slot_count = 0, plane_idx = 0;
  reg  [C-1:0]     wdata = 0;
  reg  [K-1:0]     plane = 0;
  wire [31:0]      cycles;
  wire [64*L-1:0]  partial_flat;

  sp_imc_macro #(.R(R), .C(C), .E(E), .BW(BW), .FORMAT(FORMAT), .NM_N(NM_N), .NM_M(NM_M), .K(K), .L(L),
                 .BX(BX), .SIGNED_IN(SIGNED_IN), .SKIP(SKIP)) dut (
    .clk(clk), .we(we), .waddr(waddr), .wdata(wdata), .slot_we(slot_we), .slot_idx(slot_idx),
    .slot_base(slot_base), .slot_count(slot_count), .decode(decode), .clear(clear),
    .plane_valid(plane_valid), .plane_idx(plane_idx), .plane(plane), .cycles(cycles), .partial_flat(partial_flat));

  reg [C-1:0]       images [0:LOADS*R-1];   // array.mem: the loads' rows
  reg [95:0]        slots [0:LOADS*L-1];    // slots.mem: {column, base, count} per slot (count 0: empty)
  reg [K-1:0]       planes [0:B*BX-1];      // planes.mem: vector-major, LSB plane first
  reg [63:0]        partials [0:LOADS*B*L-1]; // partials.mem: load, vector, slot
  reg [63:0]        outputs [0:B*N-1];      // outputs.mem: [B, N] row-major
  reg [31:0]        load_cycles [0:LOADS-1];// cycles.mem: compute cycles per load
  reg signed [63:0] out_acc [0:B*N-1];

  integer ld, r, j, b, p, col, bad_partials, bad_outputs, bad_cycles, reported, total_cycles;
  reg signed [63:0] got, want;

  task tick;
    begin
      #5 clk = 1;
      #5 clk = 0;
    end
  endtask

  initial begin
    $readmemh("array.mem", images);
    $readmemh("slots.mem", slots);
    $readmemh("planes.mem", planes);
    $readmemh("partials.mem", partials);
    $readmemh("outputs.mem", outputs);
    $readmemh("cycles.mem", load_cycles);
    bad_partials = 0; bad_outputs = 0; bad_cycles = 0; reported = 0; total_cycles = 0;
    for (b = 0; b < B * N; b = b + 1) out_acc[b] = 0;

    for (ld = 0; ld < LOADS; ld = ld + 1) begin
      we = 1;
      for (r = 0; r < R; r = r + 1) begin
        waddr = r; wdata = images[ld*R + r]; tick;
      end
      we = 0; slot_we = 1;
      for (j = 0; j < L; j = j + 1) begin
        slot_idx = j; slot_base = slots[ld*L + j][63:32]; slot_count = slots[ld*L + j][31:0]; tick;
      end
      slot_we = 0; decode = 1; tick; decode = 0;
      for (b = 0; b < B; b = b + 1) begin
        clear = 1; tick; clear = 0;
        plane_valid = 1;
        for (p = 0; p < BX; p = p + 1) begin
          plane_idx = p; plane = planes[b*BX + p]; tick;
        end
        plane_valid = 0;
        for (j = 0; j < L; j = j + 1) begin
          if (slots[ld*L + j][31:0] != 0) begin
            got = partial_flat[64*j +: 64];
            want = partials[(ld*B + b)*L + j];
            if (got !== want) begin
              bad_partials = bad_partials + 1;
              if (reported < 10) $display("mismatch: load %0d vector %0d slot %0d: partial sum %0d, expected %0d", ld, b, j, got, want);
              reported = reported + 1;
            end
            col = slots[ld*L + j][95:64];
            out_acc[b*N + col] = out_acc[b*N + col] + got;
          end
        end
      end
      total_cycles = total_cycles + cycles;
      if (cycles !== load_cycles[ld]) begin
        bad_cycles = bad_cycles + 1;
        if (reported < 10) $display("mismatch: load %0d: %0d compute cycles, expected %0d", ld, cycles, load_cycles[ld]);
        reported = reported + 1;
      end
    end

    for (b = 0; b < B; b = b + 1)
      for (j = 0; j < N; j = j + 1) begin
        want = outputs[b*N + j];
        if (out_acc[b*N + j] !== want) begin
          bad_outputs = bad_outputs + 1;
          if (reported < 10) $display("mismatch: output [%0d, %0d] = %0d, expected %0d", b, j, out_acc[b*N + j], want);
          reported = reported + 1;
        end
      end

    if (bad_partials == 0 && bad_outputs == 0 && bad_cycles == 0)
      $display("RTL-CHECK PASS: %0d loads, %0d vectors, %0d outputs and every slot partial sum equal; %0d compute cycles as expected", LOADS, B, B*N, total_cycles);
    else
      $display("RTL-CHECK FAIL: %0d partial sums, %0d of %0d outputs and %0d of %0d load cycle counts differ", bad_partials, bad_outputs, B*N, bad_cycles, LOADS);
    $finish;
  end
endmodule
