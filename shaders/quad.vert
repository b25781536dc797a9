// One rectangle: a unit quad placed by u_rect (NDC) and textured by
// u_tex_rect, so fit, crop and flips are all set from the CPU per draw.
attribute vec2 a_pos;
uniform vec4 u_rect;     // x0, y0 (bottom-left) and width, height in NDC
uniform vec4 u_tex_rect; // u0, v0 and du, dv sampled across the quad
varying vec2 v_tex;

void main()
{
    gl_Position = vec4(u_rect.xy + a_pos * u_rect.zw, 0.0, 1.0);
    v_tex = u_tex_rect.xy + a_pos * u_tex_rect.zw;
}
